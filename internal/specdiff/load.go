package specdiff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/acsconform/acsconform/spec"
	"github.com/acsconform/acsconform/spec/docimport"
)

// Load reads one side of a comparison: a contract (YAML or JSON with an
// openapi key), one vendor doc page, or a folder of pages (imported
// together, revisions merged). Import warnings come back for the caller
// to show.
func Load(path string) (*spec.API, []string, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, nil, err
	}
	var inputs []docimport.Input
	if st.IsDir() {
		entries, err := os.ReadDir(path)
		if err != nil {
			return nil, nil, err
		}
		for _, e := range entries {
			if e.Type().IsRegular() && !strings.HasPrefix(e.Name(), ".") {
				file := filepath.Join(path, e.Name())
				data, err := os.ReadFile(file)
				if err != nil {
					return nil, nil, err
				}
				inputs = append(inputs, docimport.Input{Name: file, Data: data})
			}
		}
		sort.Slice(inputs, func(i, j int) bool { return inputs[i].Name < inputs[j].Name })
		if len(inputs) == 0 {
			return nil, nil, fmt.Errorf("%s: an empty folder (want doc pages)", path)
		}
	} else {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, nil, err
		}
		if isContract(path, data) {
			api, err := spec.Parse(path, data)
			if err != nil {
				return nil, nil, err
			}
			return api, nil, nil
		}
		inputs = []docimport.Input{{Name: path, Data: data}}
	}
	res, err := docimport.Import(inputs)
	if err != nil {
		return nil, nil, fmt.Errorf("%s is neither a contract nor a page the importer reads: %w", path, err)
	}
	var warnings []string
	for _, w := range res.Warnings {
		warnings = append(warnings, fmt.Sprint(w))
	}
	api, err := spec.Parse(path+" (imported)", res.Document)
	if err != nil {
		return nil, warnings, fmt.Errorf("%s: the imported contract does not load: %w", path, err)
	}
	api.File = path
	return api, warnings, nil
}

var openapiLine = regexp.MustCompile(`(?m)^(openapi:|\{\s*"openapi")`)

// isContract: a YAML or JSON document whose top level has an openapi key,
// or a file that says it is one (a .yaml/.yml/.json name, or an openapi:
// line) even when it does not parse, so its syntax error is reported as
// such rather than as a page the importer cannot read.
func isContract(path string, data []byte) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".yaml", ".yml", ".json":
		return true
	}
	if openapiLine.Match(data) {
		return true
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var m map[string]json.RawMessage
		if json.Unmarshal(trimmed, &m) == nil {
			_, ok := m["openapi"]
			return ok
		}
	}
	var m map[string]any
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&m); err != nil && err != io.EOF {
		return false
	}
	_, ok := m["openapi"]
	return ok
}
