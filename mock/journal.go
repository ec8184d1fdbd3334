package mock

import (
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
	Op        string     `json:"op"` // bind, unbind, invite, status
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
}

// journalFormat is the version of the state-file format.
const journalFormat = 1

type journalHeader struct {
	Format  int    `json:"acsconform-mock-state"`
	Profile string `json:"profile"`
}

// Journal is the mock's write-ahead log: a header line, then one event per
// line as "<crc32 hex> <json>". Append returns only after the line is
// fsync'ed, so every acknowledged change survives kill -9.
type Journal struct {
	path string
	f    *os.File
}

// ErrCorrupt marks a state file that cannot be trusted.
var ErrCorrupt = errors.New("corrupt state file")

func encodeLine(v any) ([]byte, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	line := fmt.Sprintf("%08x %s\n", crc32.ChecksumIEEE(body), body)
	return []byte(line), nil
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

// OpenJournal opens (or creates) the state file for a profile digest and
// returns the events to replay. A final line cut short by a crash is
// dropped and reported in warning; any other damage, or a file written for
// another profile, is an error wrapping ErrCorrupt — never a silent reset.
func OpenJournal(path, profileDigest string) (j *Journal, events []Event, warning string, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		j, err := createJournal(path, profileDigest)
		return j, nil, "", err
	}
	if err != nil {
		return nil, nil, "", fmt.Errorf("mock: state file: %w", err)
	}
	good := 0 // bytes of data known good
	lineNo := 0
	for len(data[good:]) > 0 {
		rest := data[good:]
		nl := bytes.IndexByte(rest, '\n')
		lineNo++
		if nl < 0 {
			// A torn final write: never acknowledged, since Append fsyncs
			// the whole line before answering.
			warning = fmt.Sprintf("state file %s: dropped an incomplete last line (%d bytes) left by an interrupted write", path, len(rest))
			break
		}
		line := rest[:nl]
		if lineNo == 1 {
			var h journalHeader
			if err := decodeLine(line, &h); err != nil || h.Format == 0 {
				return nil, nil, "", fmt.Errorf("mock: %s is not a mock state file (line 1: %v): %w", path, err, ErrCorrupt)
			}
			if h.Format != journalFormat {
				return nil, nil, "", fmt.Errorf("mock: %s has format %d, this mock reads %d: %w", path, h.Format, journalFormat, ErrCorrupt)
			}
			if h.Profile != profileDigest {
				return nil, nil, "", fmt.Errorf("mock: %s was written for another profile (digest %s, now %s); remove it or use that profile: %w", path, h.Profile, profileDigest, ErrCorrupt)
			}
		} else {
			var e Event
			if err := decodeLine(line, &e); err != nil {
				return nil, nil, "", fmt.Errorf("mock: %s line %d: %v: %w", path, lineNo, err, ErrCorrupt)
			}
			events = append(events, e)
		}
		good += nl + 1
	}
	if good == 0 {
		return nil, nil, "", fmt.Errorf("mock: %s has no header line: %w", path, ErrCorrupt)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0o600)
	if err != nil {
		return nil, nil, "", fmt.Errorf("mock: state file: %w", err)
	}
	if err := f.Truncate(int64(good)); err != nil {
		f.Close()
		return nil, nil, "", fmt.Errorf("mock: state file: %w", err)
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		f.Close()
		return nil, nil, "", fmt.Errorf("mock: state file: %w", err)
	}
	return &Journal{path: path, f: f}, events, warning, nil
}

// createJournal writes a fresh file holding only the header, atomically.
func createJournal(path, profileDigest string) (*Journal, error) {
	header, _ := encodeLine(journalHeader{Format: journalFormat, Profile: profileDigest})
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, header, 0o600); err != nil {
		return nil, fmt.Errorf("mock: state file: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("mock: state file: %w", err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("mock: state file: %w", err)
	}
	return &Journal{path: path, f: f}, nil
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("mock: state file: %w", err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("mock: state file: %w", err)
	}
	return nil
}

// Append writes one event and fsyncs it.
func (j *Journal) Append(e Event) error {
	line, err := encodeLine(e)
	if err != nil {
		return err
	}
	if _, err := j.f.Write(line); err != nil {
		return fmt.Errorf("mock: state file: %w", err)
	}
	if err := j.f.Sync(); err != nil {
		return fmt.Errorf("mock: state file: %w", err)
	}
	return nil
}

// Reset replaces the file with a header only (after a state reset).
func (j *Journal) Reset(profileDigest string) error {
	j.f.Close()
	nj, err := createJournal(j.path, profileDigest)
	if err != nil {
		return err
	}
	j.f = nj.f
	return nil
}

// Close closes the file.
func (j *Journal) Close() error { return j.f.Close() }
