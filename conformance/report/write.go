package report

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// Write writes junit.xml, coverage.{json,md,html} and summary.md (the
// job-summary form, under SummaryLimit) of a run into dir.
func Write(dir string, cov Coverage) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := writeJUnit(filepath.Join(dir, "junit.xml"), cov); err != nil {
		return err
	}
	js, _ := json.MarshalIndent(cov, "", "  ")
	if err := os.WriteFile(filepath.Join(dir, "coverage.json"), append(js, '\n'), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "coverage.md"), []byte(markdown(cov)), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "summary.md"), []byte(Summary(cov)), 0o644); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dir, "coverage.html"))
	if err != nil {
		return err
	}
	defer f.Close()
	return htmlReport.Execute(f, cov)
}
