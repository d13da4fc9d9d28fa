package sparklog

import (
	"encoding/binary"
	"encoding/json"
	"math/bits"
	"unicode/utf8"
)

// Reading is the cost of everything tunesim does with a log, and encoding/json spent most of it
// validating and decoding the many fields of each line the reader does not use (a Spark 4
// TaskEnd carries some 60 metrics, of which the reader takes a dozen). decodeEvent decodes the
// fields of event, and of the types it holds, straight from the line and skips the rest while
// checking their syntax, without allocating for what it skips.
//
// It is a fast path only: it gives up on whatever it does not handle exactly as encoding/json
// would — a syntax error, a null, a duplicate or case-folded key of a field, a number where a
// string is due, a fraction in an integer field — and the line is then decoded by
// json.Unmarshal, whose result and error are the reader's. So a line decodes to what
// json.Unmarshal makes of it, and a bad line fails with json's own error (FuzzDecodeEvent
// checks both on arbitrary lines). tunesim's own events (the trace header, spans) are rare and
// decoded by json.Unmarshal from their bytes.

// eventDecoder decodes the lines of one log. The short strings lines repeat (event names,
// executors, hosts, reasons) are shared from line to line.
type eventDecoder struct {
	d     decoder
	names interner
	// ev is an event for the reader to decode each line into: it is cleared and refilled from
	// line to line, so what handles an event copies what it keeps of it (the values its
	// pointers, slices and maps lead to are the line's own).
	ev event
}

// decode decodes line into ev (which it clears first) as json.Unmarshal(line, ev) would.
func (x *eventDecoder) decode(line []byte, ev *event) error {
	*ev = event{}
	if x.fast(line, ev) {
		return nil
	}
	*ev = event{}
	return json.Unmarshal(line, ev)
}

// fast decodes line into ev and says whether it could (when not, ev holds a partial decoding to
// be thrown away).
func (x *eventDecoder) fast(line []byte, ev *event) bool {
	x.d = decoder{b: line, names: &x.names}
	d := &x.d
	d.ws()
	decodeObject(d, ev, eventFields)
	d.ws()
	return !d.fail && d.i == len(d.b)
}

// validJSON is json.Valid on one line, without allocating.
func validJSON(line []byte) bool {
	d := decoder{b: line}
	d.ws()
	d.skip(0)
	d.ws()
	return !d.fail && d.i == len(d.b)
}

// decoder reads JSON from b at i. Once fail is set it stops (every method returns at once) and
// the line is left to encoding/json.
type decoder struct {
	b     []byte
	i     int
	fail  bool
	names *interner
	// task and end hold the pointed-to fields of a task's line (see taskParts).
	task *taskParts
	end  *endParts
}

// interner hands out one string per distinct short value, so that the values a log repeats on
// every line (event names, executor ids, hosts, reasons) cost no allocation each. It is a cache
// of the last string seen per slot, chosen by the value's length and some of its bytes.
type interner struct{ slots [1024]string }

// str returns b as a string: the one handed out before for the same bytes, when its slot still
// holds it.
func (in *interner) str(b []byte) string {
	n := len(b)
	if in == nil || n == 0 || n > 64 {
		return string(b)
	}
	h := (uint(n)*0x9e3779b1 ^ uint(b[0])*0x85ebca6b ^ uint(b[n-1])*0xc2b2ae35 ^ uint(b[n/2])*0x27d4eb2f) >> 7 % uint(len(in.slots))
	if s := in.slots[h]; s == string(b) {
		return s
	}
	s := string(b)
	in.slots[h] = s
	return s
}

// maxDepth bounds the nesting the fast path follows (encoding/json allows 10000; past this the
// line is left to it).
const maxDepth = 1000

func (d *decoder) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// next skips white space and returns the next byte: 0 at the end, which fails, and once failed.
func (d *decoder) next() byte {
	if d.i < len(d.b) && d.b[d.i] > ' ' && !d.fail {
		return d.b[d.i] // no white space: Spark writes none
	}
	d.ws()
	if d.fail || d.i >= len(d.b) {
		d.fail = true
		return 0
	}
	return d.b[d.i]
}

// plainRun returns the index of the first byte from j on that ends a plain run of a string (see
// inString; with high, inKey), or len(b). It tests eight bytes at a time.
func plainRun(b []byte, j int, high bool) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	var stopHigh uint64
	if high {
		stopHigh = highs
	}
	for ; j+8 <= len(b); j += 8 {
		x := binary.LittleEndian.Uint64(b[j:])
		q, bs := x^(ones*'"'), x^(ones*'\\')
		m := (x-ones*0x20)&^x | (q-ones)&^q | (bs-ones)&^bs
		m = m&highs | x&stopHigh
		if m != 0 {
			return j + bits.TrailingZeros64(m)/8
		}
	}
	stop := &inString
	if high {
		stop = &inKey
	}
	for j < len(b) && !stop[b[j]] {
		j++
	}
	return j
}

// inString marks the bytes that end the plain run of a string: its closing quote, an escape, and
// the control characters JSON forbids in it. inKey adds the bytes past ASCII.
var inString, inKey [256]bool

func init() {
	for c := range 0x20 {
		inString[c], inKey[c] = true, true
	}
	inString['"'], inString['\\'] = true, true
	inKey['"'], inKey['\\'] = true, true
	for c := 0x80; c < 0x100; c++ {
		inKey[c] = true
	}
}

// fieldSet is how an object decodes into a T: its fields, and by the length of their JSON names
// (keys are found by comparing them with the few names of their length).
type fieldSet[T any] struct {
	fields []field[T]
	byLen  [64][]int
}

// field decodes the value of one JSON key into its place in a T.
type field[T any] struct {
	name string
	dec  func(d *decoder, v *T)
}

func fieldsOf[T any](fs ...field[T]) *fieldSet[T] {
	set := &fieldSet[T]{fields: fs}
	if len(fs) > 64 {
		panic("sparklog: more than 64 fields in one decoded struct")
	}
	for i, f := range fs {
		if len(f.name) >= len(set.byLen) {
			panic("sparklog: a field name of 64 bytes or more: " + f.name)
		}
		set.byLen[len(f.name)] = append(set.byLen[len(f.name)], i)
	}
	return set
}

// lookup finds the field named key. A key that only matches a name case-insensitively (which
// encoding/json would decode into that field) is ambiguous: lookup says so.
func (fs *fieldSet[T]) lookup(key []byte) (k int, ambiguous bool) {
	if len(key) >= len(fs.byLen) {
		return -1, false
	}
	for _, i := range fs.byLen[len(key)] {
		if string(key) == fs.fields[i].name {
			return i, false
		}
	}
	for _, i := range fs.byLen[len(key)] {
		if equalFoldASCII(key, fs.fields[i].name) {
			return -1, true
		}
	}
	return -1, false
}

// equalFoldASCII says whether key and name are equal once a-z are made upper case, as
// encoding/json folds ASCII names.
func equalFoldASCII(key []byte, name string) bool {
	for j, c := range key {
		n := name[j]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if 'a' <= n && n <= 'z' {
			n -= 'a' - 'A'
		}
		if c != n {
			return false
		}
	}
	return true
}

// decodeObject decodes an object into v: each key of fs by its decoder, other keys skipped. A
// key seen twice, a key that only matches a field's name case-insensitively, and a key that is
// not plain ASCII (which encoding/json might fold onto a field) make it fail.
func decodeObject[T any](d *decoder, v *T, fs *fieldSet[T]) {
	if d.next() != '{' {
		d.fail = true
		return
	}
	d.i++
	if d.empty('}') {
		return
	}
	var seen uint64
	for !d.fail {
		key := d.key()
		if d.fail {
			return
		}
		switch k, ambiguous := fs.lookup(key); {
		case ambiguous:
			d.fail = true
			return
		case k < 0:
			d.skip(1)
		case seen&(1<<k) != 0:
			d.fail = true
			return
		default:
			seen |= 1 << k
			fs.fields[k].dec(d, v)
		}
		if !d.more('}') {
			return
		}
	}
}

// empty consumes closing ('}' or ']') when it comes next: an object or array without elements.
func (d *decoder) empty(closing byte) bool {
	if d.next() == closing {
		d.i++
		return true
	}
	return false
}

// more consumes what follows an element of an object or array: a comma (true: another element
// follows) or closing (false: the value ended); anything else fails (false).
func (d *decoder) more(closing byte) bool {
	switch d.next() {
	case ',':
		d.i++
		return true
	case closing:
		d.i++
	default:
		d.fail = true
	}
	return false
}

// key reads an object's key and its colon. Keys with escapes or bytes outside printable ASCII
// fail.
func (d *decoder) key() []byte {
	if d.next() != '"' {
		d.fail = true
		return nil
	}
	start := d.i + 1
	j := plainRun(d.b, start, true)
	if j >= len(d.b) || d.b[j] != '"' {
		d.fail = true
		return nil
	}
	d.i = j + 1
	if d.next() != ':' {
		d.fail = true
		return nil
	}
	d.i++
	return d.b[start:j]
}

// str reads a string. One without escapes, in valid UTF-8, is taken as it is; any other is
// unquoted by encoding/json (which also replaces invalid UTF-8) or fails.
func (d *decoder) str() string { return d.string(false) }

// name is str for a short value that repeats from line to line: it is interned.
func (d *decoder) name() string { return d.string(true) }

func (d *decoder) string(intern bool) string {
	if d.next() != '"' {
		d.fail = true
		return ""
	}
	start := d.i + 1
	j := plainRun(d.b, start, false)
	switch {
	case j >= len(d.b) || d.b[j] < 0x20:
		d.fail = true
		return ""
	case d.b[j] == '\\':
		return d.unquote(start - 1)
	}
	d.i = j + 1
	if !utf8.Valid(d.b[start:j]) {
		return d.unquote(start - 1)
	}
	if intern {
		return d.names.str(d.b[start:j])
	}
	return string(d.b[start:j])
}

// unquote reads the string token starting at from with encoding/json.
func (d *decoder) unquote(from int) string {
	d.i = from
	d.skip(1)
	if d.fail {
		return ""
	}
	var s string
	if err := json.Unmarshal(d.b[from:d.i], &s); err != nil {
		d.fail = true
	}
	return s
}

// int64 reads an integer; a fraction, an exponent or a value past int64 fails, as it is an error
// for encoding/json too.
func (d *decoder) int64() int64 {
	c := d.next()
	neg := c == '-'
	if neg {
		d.i++
	}
	start := d.i
	var n uint64
	for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
		if n > (1<<63)/10 {
			d.fail = true
			return 0
		}
		n = n*10 + uint64(d.b[d.i]-'0')
		d.i++
	}
	digits := d.i - start
	switch {
	case digits == 0, digits > 1 && d.b[start] == '0':
		d.fail = true
	case n > 1<<63 || n == 1<<63 && !neg:
		d.fail = true
	case d.i < len(d.b) && (d.b[d.i] == '.' || d.b[d.i] == 'e' || d.b[d.i] == 'E'):
		d.fail = true
	}
	if neg {
		return -int64(n)
	}
	return int64(n)
}

func (d *decoder) int() int { return int(d.int64()) }

func (d *decoder) bool() bool {
	switch {
	case d.literal("true"):
		return true
	case d.literal("false"):
		return false
	}
	d.fail = true
	return false
}

// literal reads word if it comes next.
func (d *decoder) literal(word string) bool {
	if d.next() != word[0] || len(d.b)-d.i < len(word) || string(d.b[d.i:d.i+len(word)]) != word {
		return false
	}
	d.i += len(word)
	return true
}

// stringMap reads an object of strings into *m (made, as encoding/json makes it, even when the
// object is empty).
func (d *decoder) stringMap(m *map[string]string) {
	if d.next() != '{' {
		d.fail = true
		return
	}
	d.i++
	*m = map[string]string{}
	if d.empty('}') {
		return
	}
	for !d.fail {
		k := d.str()
		if d.next() != ':' {
			d.fail = true
			return
		}
		d.i++
		if _, dup := (*m)[k]; dup {
			d.fail = true // encoding/json keeps the last; leave it to it
			return
		}
		(*m)[k] = d.str()
		if !d.more('}') {
			return
		}
	}
}

// decodeSlice reads an array into *s, each element by elem (a non-nil slice even when empty, as
// encoding/json makes it).
func decodeSlice[T any](d *decoder, s *[]T, elem func(d *decoder, v *T)) {
	if d.next() != '[' {
		d.fail = true
		return
	}
	d.i++
	*s = make([]T, 0, 1)
	if d.empty(']') {
		return
	}
	for !d.fail {
		var v T
		elem(d, &v)
		*s = append(*s, v)
		if !d.more(']') {
			return
		}
	}
}

// raw returns the bytes of the next value, checked.
func (d *decoder) raw() []byte {
	d.ws()
	start := d.i
	d.skip(1)
	return d.b[start:d.i]
}

// viaJSON decodes the next value with encoding/json into a new T.
func viaJSON[T any](d *decoder) *T {
	b := d.raw()
	if d.fail || string(b) == "null" {
		d.fail = true
		return nil
	}
	v := new(T)
	if err := json.Unmarshal(b, v); err != nil {
		d.fail = true
	}
	return v
}

// skip passes over one value, checking its syntax as json.Valid does.
func (d *decoder) skip(depth int) {
	if depth > maxDepth {
		d.fail = true
		return
	}
	switch d.next() {
	case '{':
		d.i++
		if d.empty('}') {
			return
		}
		for !d.fail {
			if d.next() != '"' {
				d.fail = true
				return
			}
			d.skipString()
			if d.next() != ':' {
				d.fail = true
				return
			}
			d.i++
			d.skip(depth + 1)
			if !d.more('}') {
				return
			}
		}
	case '[':
		d.i++
		if d.empty(']') {
			return
		}
		for !d.fail {
			d.skip(depth + 1)
			if !d.more(']') {
				return
			}
		}
	case '"':
		d.skipString()
	case 't', 'f', 'n':
		if !d.literal("true") && !d.literal("false") && !d.literal("null") {
			d.fail = true
		}
	default:
		d.skipNumber()
	}
}

// skipString passes over a string at i, checking its escapes and that it holds no control
// character (invalid UTF-8 is valid JSON to encoding/json).
func (d *decoder) skipString() {
	b := d.b
	for j := d.i + 1; j < len(b); j++ {
		j = plainRun(b, j, false)
		if j >= len(b) || b[j] < 0x20 {
			break
		}
		if b[j] == '"' {
			d.i = j + 1
			return
		}
		j++ // an escape
		if j >= len(b) {
			break
		}
		switch b[j] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		case 'u':
			if j+4 >= len(b) || !isHex(b[j+1]) || !isHex(b[j+2]) || !isHex(b[j+3]) || !isHex(b[j+4]) {
				d.fail = true
				return
			}
			j += 4
		default:
			d.fail = true
			return
		}
	}
	d.fail = true
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// skipNumber passes over a number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (d *decoder) skipNumber() {
	b, i := d.b, d.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		d.fail = true
		return
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			d.fail = true
			return
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			d.fail = true
			return
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	d.i = i
}

// ptr returns a pointer to a new copy of v.
func ptr[T any](v T) *T { return &v }

// objectOf is a field decoder for a struct-typed field.
func objectOf[T any](fs *fieldSet[T]) func(d *decoder, v *T) {
	return func(d *decoder, v *T) { decodeObject(d, v, fs) }
}
