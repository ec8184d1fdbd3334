package mock

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// Event is one change to the state. Live requests and journal replay apply
// the same events, so a replayed state equals the state that answered.
type Event struct {
	Op        string     `json:"op"` // bind, unbind, invite, status, put, snapshot
	At        time.Time  `json:"at"`
	Dir       string     `json:"dir,omitempty"`
	Contact   string     `json:"contact,omitempty"`
	Members   []string   `json:"members,omitempty"`
	Stamp     string     `json:"stamp,omitempty"`
	Caller    string     `json:"caller,omitempty"`
	Day       string     `json:"day,omitempty"`
	Handshake *Handshake `json:"handshake,omitempty"`
	ID        string     `json:"id,omitempty"`
	Status    string     `json:"status,omitempty"`
	// Puts are the entities an operation wrote or removed (op "put").
	Puts []Put `json:"puts,omitempty"`
	// Snapshot is the whole state (op "snapshot", written by compaction):
	// it replaces everything the events before it built.
	Snapshot *State `json:"snapshot,omitempty"`
}

// journalFormat is the version of the state-file format this mock writes.
// Format 1 (no snapshots) is still read.
const journalFormat = 2

// maxLineBytes bounds one line of a state file, so a file that is not a
// state file (or a damaged one) cannot make the mock read without end.
const maxLineBytes = 256 << 20

// DefaultCompactAfter is how many events the journal holds after its
// snapshot before the backend compacts it.
const DefaultCompactAfter = 10000

type journalHeader struct {
	Format  int    `json:"acsconform-mock-state"`
	Profile string `json:"profile"`
}

// Journal is the mock's write-ahead log: a header line, an optional
// snapshot line, then one event per line, each line "<crc32 hex> <json>".
//
// Append returns only after the line is fsync'ed, so every acknowledged
// change survives kill -9; a failed append (a full disk) is cut off again,
// so the file never holds a half line before later ones, and the next
// append tries afresh. Reset and Compact write a new file beside the old
// one and rename it into place: until the rename, the old file stays the
// journal.
type Journal struct {
	path string
	f    *os.File
	size int64 // bytes of the file that hold complete, acknowledged lines
	tail int   // events after the header and snapshot
	// dirty: a failed append may have left bytes past size that could not
	// be cut off yet; the next append cuts them first.
	dirty bool
}

// JournalOptions tunes how a state file is opened.
type JournalOptions struct {
	// AcceptLoss starts from the trustworthy lines before the first damaged
	// one, dropping it and everything after it (each drop is reported),
	// instead of refusing to start. For an operator who has read the error
	// and accepts losing those changes.
	AcceptLoss bool
}

// ErrCorrupt marks a state file that cannot be trusted.
var ErrCorrupt = errors.New("corrupt state file")

func encodeLine(v any) ([]byte, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	line := make([]byte, 0, len(body)+10)
	line = fmt.Appendf(line, "%08x ", crc32.ChecksumIEEE(body))
	line = append(line, body...)
	return append(line, '\n'), nil
}

func decodeLine(line []byte, v any) error {
	sum, body, ok := bytes.Cut(line, []byte(" "))
	if !ok || len(sum) != 8 {
		return errors.New("no checksum")
	}
	want, err := strconv.ParseUint(string(sum), 16, 32)
	if err != nil {
		return errors.New("malformed checksum")
	}
	if crc32.ChecksumIEEE(body) != uint32(want) {
		return errors.New("checksum mismatch")
	}
	return json.Unmarshal(body, v)
}

// tornPrefix reports whether a final line without its newline is the
// beginning of a line cut short by an interrupted write: a checksum (or a
// part of one) followed by JSON that ends early. A complete line that was
// damaged is not torn.
func tornPrefix(frag []byte) bool {
	sum, body, ok := bytes.Cut(frag, []byte(" "))
	if !ok {
		return len(frag) < 9 && isHex(frag)
	}
	if len(sum) != 8 || !isHex(sum) {
		return false
	}
	if len(body) == 0 {
		return true
	}
	var raw json.RawMessage
	return json.NewDecoder(bytes.NewReader(body)).Decode(&raw) == io.ErrUnexpectedEOF
}

func isHex(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// readLine reads one line with its newline (or the final bytes without
// one), refusing lines past maxLineBytes.
func readLine(r *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxLineBytes {
			return nil, fmt.Errorf("a line longer than %d MiB", maxLineBytes>>20)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return line, err
	}
}

// OpenJournal opens (or creates) the state file for a profile digest and
// returns the events to replay (a snapshot first, when the file has one).
//
// Only a torn final line — the beginning of a line an interrupted write cut
// short, never acknowledged — is dropped, with a warning. A final line that
// is complete but lost its newline is kept and repaired. Any other damage
// refuses to start with an error wrapping ErrCorrupt that names the line
// and the reason, unless o.AcceptLoss; a file written for another profile,
// or one that is not a state file, always refuses. Only regular files
// (or links to one) are state files.
func OpenJournal(path, profileDigest string, o JournalOptions) (j *Journal, events []Event, warnings []string, err error) {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		j, err := createJournal(path, profileDigest)
		return j, nil, nil, err
	}
	if err != nil {
		return nil, nil, nil, fmt.Errorf("mock: state file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, nil, nil, fmt.Errorf("mock: state file %s is not a regular file (%s); give the path of a file the mock may create and own", path, kind(fi.Mode()))
	}
	// A link stays a link: compaction and reset replace the file it points to.
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("mock: state file: %w", err)
	}
	j = &Journal{path: path, f: f}
	events, warnings, err = j.load(profileDigest, o)
	if err != nil {
		f.Close()
		return nil, nil, nil, err
	}
	return j, events, warnings, nil
}

func kind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeDevice != 0:
		return "a device"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	}
	return m.Type().String()
}

// load reads the file, leaves j.size at the end of its good lines and
// repairs what may be repaired.
func (j *Journal) load(profileDigest string, o JournalOptions) (events []Event, warnings []string, err error) {
	corrupt := func(format string, a ...any) error {
		return fmt.Errorf("mock: state file %s: %s: %w", j.path, fmt.Sprintf(format, a...), ErrCorrupt)
	}
	r := bufio.NewReaderSize(j.f, 1<<16)
	var off int64
	var repair []byte // a newline to write at off, after a kept final line
	format := 0
lines:
	for lineNo := 1; ; lineNo++ {
		line, rerr := readLine(r)
		if rerr != nil && rerr != io.EOF {
			if lineNo == 1 || !o.AcceptLoss {
				return nil, nil, corrupt("line %d: %v", lineNo, rerr)
			}
			warnings = append(warnings, fmt.Sprintf("state file %s: line %d: %v; dropped it and everything after it (--accept-state-loss)", j.path, lineNo, rerr))
			break lines
		}
		if len(line) == 0 {
			break
		}
		final := line[len(line)-1] != '\n'
		content := line
		if !final {
			content = line[:len(line)-1]
		}
		var e Event
		var derr error
		if lineNo == 1 {
			var h journalHeader
			if derr = decodeLine(content, &h); derr != nil || h.Format == 0 {
				return nil, nil, corrupt("line 1 is not a mock state file header (%v)", derr)
			}
			if h.Format > journalFormat {
				return nil, nil, corrupt("format %d is newer than this mock reads (%d)", h.Format, journalFormat)
			}
			if h.Profile != profileDigest {
				return nil, nil, corrupt("written for another profile (digest %s, now %s); remove it or use that profile", h.Profile, profileDigest)
			}
			format = h.Format
		} else {
			derr = decodeLine(content, &e)
		}
		if final && derr != nil {
			switch {
			case len(content) > 1 && decodeLine(content[:len(content)-1], &e) == nil:
				// A complete line whose newline was replaced by another byte.
				derr = nil
				content = content[:len(content)-1]
				warnings = append(warnings, fmt.Sprintf("state file %s: line %d ended in %q instead of a newline; its content is intact (checksum verified) and was kept", j.path, lineNo, line[len(line)-1]))
			case lineNo > 1 && tornPrefix(content):
				warnings = append(warnings, fmt.Sprintf("state file %s: dropped an incomplete last line %d (%d bytes) left by an interrupted write; it was never acknowledged", j.path, lineNo, len(line)))
				break lines
			}
		}
		if derr != nil {
			rest, _ := io.Copy(io.Discard, r)
			lost := fmt.Sprintf("line %d (%d bytes from byte %d, with %d bytes after it): %v", lineNo, len(line), off, rest, derr)
			if !o.AcceptLoss {
				return nil, nil, corrupt("%s; acknowledged changes would be lost, so the mock does not start. Restore the file, or start with --accept-state-loss to drop that line and everything after it", lost)
			}
			warnings = append(warnings, fmt.Sprintf("state file %s: %s; dropped it and everything after it (--accept-state-loss)", j.path, lost))
			break lines
		}
		if lineNo > 1 {
			if e.Op == "snapshot" {
				if format < 2 || lineNo != 2 || e.Snapshot == nil {
					return nil, nil, corrupt("line %d: a snapshot may only be the second line of a format-2 file", lineNo)
				}
			} else {
				j.tail++
			}
			events = append(events, e)
		}
		if final {
			// Kept without its newline (or with a wrong byte in its place).
			repair = []byte{'\n'}
			off += int64(len(content))
			break lines
		}
		off += int64(len(line))
		if rerr == io.EOF {
			break lines
		}
	}
	if off == 0 {
		return nil, nil, corrupt("no header line")
	}
	if err := j.f.Truncate(off); err != nil {
		return nil, nil, fmt.Errorf("mock: state file %s: %w", j.path, err)
	}
	if repair != nil {
		if _, err := j.f.WriteAt(repair, off); err != nil {
			return nil, nil, fmt.Errorf("mock: state file %s: %w", j.path, err)
		}
		off += int64(len(repair))
	}
	if err := j.f.Sync(); err != nil {
		return nil, nil, fmt.Errorf("mock: state file %s: %w", j.path, err)
	}
	j.size = off
	return events, warnings, nil
}

// createJournal writes a fresh file holding only the header, atomically.
func createJournal(path, profileDigest string) (*Journal, error) {
	j := &Journal{path: path}
	if err := j.replace(profileDigest, nil, time.Time{}); err != nil {
		return nil, err
	}
	return j, nil
}

// Append writes one event and fsyncs it. On failure nothing of the event
// stays in the file (or what could not be cut off yet is cut before the
// next append), and the caller must not apply the event.
func (j *Journal) Append(e Event) error {
	line, err := encodeLine(e)
	if err != nil {
		return err
	}
	if j.dirty {
		if err := j.f.Truncate(j.size); err != nil {
			return fmt.Errorf("mock: state file %s: cannot cut off an earlier failed write: %w", j.path, err)
		}
		j.dirty = false
	}
	_, err = j.f.WriteAt(line, j.size)
	if err == nil {
		err = j.f.Sync()
	}
	if err != nil {
		j.dirty = true
		if j.f.Truncate(j.size) == nil {
			j.dirty = false
		}
		return fmt.Errorf("mock: state file %s: the change was not saved: %w", j.path, err)
	}
	j.size += int64(len(line))
	j.tail++
	return nil
}

// Tail is the number of events after the header and snapshot.
func (j *Journal) Tail() int { return j.tail }

// Size is the file's length in bytes.
func (j *Journal) Size() int64 { return j.size }

// Reset replaces the file with a header only (after a state reset). On
// failure the old file is still the journal, unchanged.
func (j *Journal) Reset(profileDigest string) error {
	return j.replace(profileDigest, nil, time.Time{})
}

// Compact replaces the file with a header and a snapshot of s, so loading
// it costs what the live state costs, not its history. On failure the old
// file is still the journal, unchanged.
func (j *Journal) Compact(profileDigest string, s *State, at time.Time) error {
	return j.replace(profileDigest, s, at)
}

// replace writes a new file beside the journal, fsyncs it, renames it into
// place and fsyncs the directory; only then does it become the journal.
func (j *Journal) replace(profileDigest string, snapshot *State, at time.Time) (err error) {
	content, err := encodeLine(journalHeader{Format: journalFormat, Profile: profileDigest})
	if err != nil {
		return err
	}
	if snapshot != nil {
		line, err := encodeLine(Event{Op: "snapshot", At: at, Snapshot: snapshot})
		if err != nil {
			return err
		}
		content = append(content, line...)
	}
	tmp := j.path + ".tmp"
	nf, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("mock: state file: %w", err)
	}
	defer func() {
		if err != nil {
			nf.Close()
			_ = os.Remove(tmp)
		}
	}()
	if _, err = nf.Write(content); err != nil {
		return fmt.Errorf("mock: state file %s: %w", tmp, err)
	}
	if err = nf.Sync(); err != nil {
		return fmt.Errorf("mock: state file %s: %w", tmp, err)
	}
	if err = os.Rename(tmp, j.path); err != nil {
		return fmt.Errorf("mock: state file: %w", err)
	}
	if d, derr := os.Open(filepath.Dir(j.path)); derr == nil {
		_ = d.Sync()
		d.Close()
	}
	// The renamed file is the live one: reopen it by its name, so every
	// later error names the state file, not the .tmp that is gone.
	live, err := os.OpenFile(j.path, os.O_RDWR, 0o600)
	if err != nil {
		return fmt.Errorf("mock: state file: %w", err)
	}
	nf.Close()
	if j.f != nil {
		j.f.Close()
	}
	j.f, j.size, j.tail, j.dirty = live, int64(len(content)), 0, false
	return nil
}

// Close closes the file.
func (j *Journal) Close() error { return j.f.Close() }
