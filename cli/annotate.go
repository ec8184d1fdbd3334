package cli

import (
	"encoding/json"
	"github.com/acsconform/acsconform/internal/fsmsg"
	"github.com/acsconform/acsconform/internal/ghannotate"
	"io"

	"github.com/acsconform/acsconform/internal/lint"
)

// fileError says what is wrong with a file the user named, without Go's
// wording ("open x: no such file or directory" becomes "x: no such file").
func fileError(path string, err error) string { return fsmsg.Describe(path, err) }

func githubLevel(s lint.Severity) string {
	switch s {
	case lint.Error:
		return ghannotate.Error
	case lint.Warning:
		return ghannotate.Warning
	}
	return ghannotate.Notice
}

// sarif renders lint findings as a SARIF 2.1.0 log, the format code
// scanning dashboards read.
func sarif(w io.Writer, findings []lint.Finding, version string) error {
	type text struct {
		Text string `json:"text"`
	}
	type rule struct {
		ID               string `json:"id"`
		ShortDescription text   `json:"shortDescription"`
		DefaultConfig    struct {
			Level string `json:"level"`
		} `json:"defaultConfiguration"`
	}
	type region struct {
		StartLine   int `json:"startLine,omitempty"`
		StartColumn int `json:"startColumn,omitempty"`
	}
	type location struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI string `json:"uri"`
			} `json:"artifactLocation"`
			Region *region `json:"region,omitempty"`
		} `json:"physicalLocation"`
	}
	type result struct {
		RuleID    string     `json:"ruleId"`
		Level     string     `json:"level"`
		Message   text       `json:"message"`
		Locations []location `json:"locations"`
	}
	level := func(s lint.Severity) string {
		switch s {
		case lint.Error:
			return "error"
		case lint.Warning:
			return "warning"
		}
		return "note"
	}
	var rules []rule
	for _, r := range lint.Rules() {
		ru := rule{ID: r.ID, ShortDescription: text{r.Doc}}
		ru.DefaultConfig.Level = level(r.Severity)
		rules = append(rules, ru)
	}
	spec := rule{ID: "spec-invalid", ShortDescription: text{"the contract does not load: YAML, OpenAPI or x-acs-* vocabulary errors"}}
	spec.DefaultConfig.Level = "error"
	rules = append(rules, spec)
	results := []result{}
	for _, f := range findings {
		var loc location
		loc.PhysicalLocation.ArtifactLocation.URI = f.File
		if f.Line > 0 {
			loc.PhysicalLocation.Region = &region{StartLine: f.Line, StartColumn: f.Col}
		}
		results = append(results, result{RuleID: f.Rule, Level: level(f.Severity), Message: text{f.Message}, Locations: []location{loc}})
	}
	log := map[string]any{
		"$schema": "https://json.schemastore.org/sarif-2.1.0.json",
		"version": "2.1.0",
		"runs": []any{map[string]any{
			"tool": map[string]any{"driver": map[string]any{
				"name": "acsconform", "version": version, "informationUri": "https://github.com/acsconform/acsconform", "rules": rules,
			}},
			"results": results,
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}
