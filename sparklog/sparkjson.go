package sparklog

import "tunesim/trace"

// Spark's event JSON as JsonProtocol (Spark 4) writes it, field for field in its order, for the
// writer. Only what the History Server needs to list and open an application is filled in with
// meaning; the rest holds Spark's neutral values (zero metrics, empty lists).

type jLogStart struct {
	Event        string `json:"Event"`
	SparkVersion string `json:"Spark Version"`
}

type jTraceInfo struct {
	Event string    `json:"Event"`
	Trace traceInfo `json:"Trace"`
}

type jSpan struct {
	Event string     `json:"Event"`
	Span  trace.Span `json:"Span"`
}

type jResourceRequest struct {
	Name            string `json:"Resource Name"`
	Amount          int    `json:"Amount"`
	DiscoveryScript string `json:"Discovery Script"`
	Vendor          string `json:"Vendor"`
}

type jTaskRequest struct {
	Name   string  `json:"Resource Name"`
	Amount float64 `json:"Amount"`
}

type jResourceProfileAdded struct {
	Event     string                      `json:"Event"`
	ID        int                         `json:"Resource Profile Id"`
	Executor  map[string]jResourceRequest `json:"Executor Resource Requests"`
	TaskCores map[string]jTaskRequest     `json:"Task Resource Requests"`
}

type jExecutorInfo struct {
	Host       string            `json:"Host"`
	TotalCores int               `json:"Total Cores"`
	LogURLs    map[string]string `json:"Log Urls"`
	Attributes map[string]string `json:"Attributes"`
	Resources  map[string]any    `json:"Resources"`
	ProfileID  int               `json:"Resource Profile Id"`
}

type jExecutorAdded struct {
	Event      string        `json:"Event"`
	Timestamp  int64         `json:"Timestamp"`
	ExecutorID string        `json:"Executor ID"`
	Info       jExecutorInfo `json:"Executor Info"`
}

type jEnvironmentUpdate struct {
	Event      string            `json:"Event"`
	JVM        map[string]string `json:"JVM Information"`
	Spark      map[string]string `json:"Spark Properties"`
	Hadoop     map[string]string `json:"Hadoop Properties"`
	System     map[string]string `json:"System Properties"`
	Metrics    map[string]string `json:"Metrics Properties"`
	ClassPaths map[string]string `json:"Classpath Entries"`
}

type jApplicationStart struct {
	Event     string `json:"Event"`
	AppName   string `json:"App Name"`
	AppID     string `json:"App ID"`
	Timestamp int64  `json:"Timestamp"`
	User      string `json:"User"`
}

type jApplicationEnd struct {
	Event     string `json:"Event"`
	Timestamp int64  `json:"Timestamp"`
	ExitCode  int    `json:"ExitCode"`
}

type jStorageLevel struct {
	UseDisk      bool `json:"Use Disk"`
	UseMemory    bool `json:"Use Memory"`
	UseOffHeap   bool `json:"Use Off Heap"`
	Deserialized bool `json:"Deserialized"`
	Replication  int  `json:"Replication"`
}

type jRDDInfo struct {
	ID                 int           `json:"RDD ID"`
	Name               string        `json:"Name"`
	Callsite           string        `json:"Callsite"`
	ParentIDs          []int         `json:"Parent IDs"`
	StorageLevel       jStorageLevel `json:"Storage Level"`
	Barrier            bool          `json:"Barrier"`
	DeterministicLevel string        `json:"DeterministicLevel"`
	Partitions         int           `json:"Number of Partitions"`
	CachedPartitions   int           `json:"Number of Cached Partitions"`
	MemorySize         int64         `json:"Memory Size"`
	DiskSize           int64         `json:"Disk Size"`
}

type jStageInfo struct {
	StageID        int        `json:"Stage ID"`
	AttemptID      int        `json:"Stage Attempt ID"`
	Name           string     `json:"Stage Name"`
	NumTasks       int        `json:"Number of Tasks"`
	RDDInfo        []jRDDInfo `json:"RDD Info"`
	ParentIDs      []int      `json:"Parent IDs"`
	Details        string     `json:"Details"`
	SubmissionTime *int64     `json:"Submission Time,omitempty"`
	CompletionTime *int64     `json:"Completion Time,omitempty"`
	FailureReason  string     `json:"Failure Reason,omitempty"`
	Accumulables   []any      `json:"Accumulables"`
	ProfileID      int        `json:"Resource Profile Id"`
	PushEnabled    bool       `json:"Shuffle Push Enabled"`
	PushMergers    int        `json:"Shuffle Push Mergers Count"`
}

type jJobStart struct {
	Event          string            `json:"Event"`
	JobID          int               `json:"Job ID"`
	SubmissionTime int64             `json:"Submission Time"`
	StageInfos     []jStageInfo      `json:"Stage Infos"`
	StageIDs       []int             `json:"Stage IDs"`
	Properties     map[string]string `json:"Properties"`
}

type jJobResult struct {
	Result string `json:"Result"`
}

type jJobEnd struct {
	Event          string `json:"Event"`
	JobID          int    `json:"Job ID"`
	CompletionTime int64  `json:"Completion Time"`
	Result         any    `json:"Job Result"` // jJobResult, or jJobFailed
}

type jStageSubmitted struct {
	Event      string            `json:"Event"`
	StageInfo  jStageInfo        `json:"Stage Info"`
	Properties map[string]string `json:"Properties"`
}

type jStageCompleted struct {
	Event     string     `json:"Event"`
	StageInfo jStageInfo `json:"Stage Info"`
}

type jTaskInfo struct {
	TaskID            int64  `json:"Task ID"`
	Index             int    `json:"Index"`
	Attempt           int    `json:"Attempt"`
	PartitionID       int    `json:"Partition ID"`
	LaunchTime        int64  `json:"Launch Time"`
	ExecutorID        string `json:"Executor ID"`
	Host              string `json:"Host"`
	Locality          string `json:"Locality"`
	Speculative       bool   `json:"Speculative"`
	GettingResultTime int64  `json:"Getting Result Time"`
	FinishTime        int64  `json:"Finish Time"`
	Failed            bool   `json:"Failed"`
	Killed            bool   `json:"Killed"`
	Accumulables      []any  `json:"Accumulables"`
}

type jTaskStart struct {
	Event          string    `json:"Event"`
	StageID        int       `json:"Stage ID"`
	StageAttemptID int       `json:"Stage Attempt ID"`
	TaskInfo       jTaskInfo `json:"Task Info"`
}

type jShuffleRead struct {
	RemoteBlocksFetched   int64 `json:"Remote Blocks Fetched"`
	LocalBlocksFetched    int64 `json:"Local Blocks Fetched"`
	FetchWaitTime         int64 `json:"Fetch Wait Time"`
	RemoteBytesRead       int64 `json:"Remote Bytes Read"`
	RemoteBytesReadToDisk int64 `json:"Remote Bytes Read To Disk"`
	LocalBytesRead        int64 `json:"Local Bytes Read"`
	TotalRecordsRead      int64 `json:"Total Records Read"`
	RemoteRequests        int64 `json:"Remote Requests Duration"`
}

type jShuffleWrite struct {
	BytesWritten   int64 `json:"Shuffle Bytes Written"`
	WriteTime      int64 `json:"Shuffle Write Time"`
	RecordsWritten int64 `json:"Shuffle Records Written"`
}

type jInput struct {
	BytesRead   int64 `json:"Bytes Read"`
	RecordsRead int64 `json:"Records Read"`
}

type jOutput struct {
	BytesWritten   int64 `json:"Bytes Written"`
	RecordsWritten int64 `json:"Records Written"`
}

type jTaskMetrics struct {
	DeserializeTime     int64         `json:"Executor Deserialize Time"`
	DeserializeCPUTime  int64         `json:"Executor Deserialize CPU Time"`
	RunTime             int64         `json:"Executor Run Time"`
	CPUTime             int64         `json:"Executor CPU Time"`
	PeakMemory          int64         `json:"Peak Execution Memory"`
	ResultSize          int64         `json:"Result Size"`
	GCTime              int64         `json:"JVM GC Time"`
	ResultSerialization int64         `json:"Result Serialization Time"`
	MemorySpilled       int64         `json:"Memory Bytes Spilled"`
	DiskSpilled         int64         `json:"Disk Bytes Spilled"`
	ShuffleRead         jShuffleRead  `json:"Shuffle Read Metrics"`
	ShuffleWrite        jShuffleWrite `json:"Shuffle Write Metrics"`
	Input               jInput        `json:"Input Metrics"`
	Output              jOutput       `json:"Output Metrics"`
	UpdatedBlocks       []any         `json:"Updated Blocks"`
}

type jTaskEnd struct {
	Event          string         `json:"Event"`
	StageID        int            `json:"Stage ID"`
	StageAttemptID int            `json:"Stage Attempt ID"`
	TaskType       string         `json:"Task Type"`
	Reason         any            `json:"Task End Reason"` // see endReasonOf
	TaskInfo       jTaskInfo      `json:"Task Info"`
	ExecutorMetric map[string]int `json:"Task Executor Metrics"`
	TaskMetrics    jTaskMetrics   `json:"Task Metrics"`
}
