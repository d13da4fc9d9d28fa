package experiment

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
)

// Version names the tunesim that runs: its commit (vcs.revision of the build info), and, when
// the build had no commit or uncommitted changes, the first 12 hex digits of the executable's
// SHA-256 (a rebuild of the same source gives the same executable); then the Go version. Runs
// measured by two different Versions are not mixed in one journal.
func Version() string {
	versionOnce.Do(func() { version = readVersion() })
	return version
}

var (
	versionOnce sync.Once
	version     string
)

func readVersion() string {
	rev, modified := "", false
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	v := "tunesim"
	if rev != "" {
		v += " " + rev[:min(12, len(rev))]
	}
	if rev == "" || modified {
		if rev != "" {
			v += "+modified"
		}
		v += " executable " + executableHash()
	}
	return v + " " + runtime.Version()
}

// executableHash is the start of the running executable's SHA-256, or "unknown".
func executableHash() string {
	path, err := os.Executable()
	if err != nil {
		return "unknown"
	}
	f, err := os.Open(path)
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "unknown"
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}
