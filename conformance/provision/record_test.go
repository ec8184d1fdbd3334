package provision

import (
	"strings"
	"testing"
)

// FuzzParseRecord: a record file is outside input (a user may edit it, a
// disk may cut it): reading it never panics, and what it accepts can be
// listed and saved again.
func FuzzParseRecord(f *testing.F) {
	f.Add([]byte(`{"target": "http://127.0.0.1:1", "contract": "ResourceDirectoryMaster 2022-04-19", "entities": [{"input": "DeleteFolder.FolderId", "action": "CreateFolder", "state": "made", "id": "fd-x", "request": {"FolderName": ["Acsabcdefg"]}, "cleanup": [{"action": "DeleteFolder", "params": {"FolderId": ["fd-x"]}}], "gone": ["EntityNotExists.Folder"]}]}`))
	f.Add([]byte(`{"entities": [null]}`))
	f.Add([]byte(`{"entities": [{"input": "x", "action": "y", "state": "making"}]}`))
	f.Add([]byte(`{"entities": [{"input": "x", "action": "y", "state": "made"}]}`))
	f.Add([]byte(`{"entities": [{"input": "x", "action": "y", "state": "made", "id": "i", "cleanup": [{}]}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := parseRecord("record.json", b)
		if err != nil {
			if !strings.Contains(err.Error(), "record.json") {
				t.Fatalf("the error does not name the file: %v", err)
			}
			return
		}
		for _, e := range r.Pending() {
			if e.Input == "" {
				t.Fatal("a pending entity without its input")
			}
		}
		r.path = t.TempDir() + "/record.json"
		if err := r.Save(); err != nil {
			t.Fatal(err)
		}
	})
}

func TestParseRecordRefuses(t *testing.T) {
	for in, want := range map[string]string{
		`{"entities": [null]}`: "entities[0] is empty",
		`{"entities": [{"input": "x", "action": "y", "state": "made"}]}`:                             "entities[0] is made but has no id",
		`{"entities": [{"input": "x", "action": "y", "state": "gone"}]}`:                             `entities[0] has state "gone"`,
		`{"entities": [{"input": "x", "action": "y", "state": "made", "id": "i", "cleanup": [{}]}]}`: "entities[0] cleanup[0] names no action",
		`not json`: "is not a record of made entities",
	} {
		if _, err := parseRecord("r.json", []byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", in, err, want)
		}
	}
}
