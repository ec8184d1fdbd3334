package report

import (
	"encoding/xml"
	"fmt"
	"os"
	"sort"
	"strings"
)

// JUnit as CI tools read it: one testsuite per operation, each case a
// testcase whose classname is its operation and whose name is its stable
// case ID (labels live in properties, so relabelling keeps test history);
// decimal times; suite hooks are not cases. A deviation from the docs is
// a failure; every other result that is not a pass (skipped, known,
// inconclusive, deviates from our reading without --strict) is skipped
// with its reason.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name       string          `xml:"name,attr"`
	Classname  string          `xml:"classname,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Failure    *junitMessage   `xml:"failure,omitempty"`
	Skipped    *junitMessage   `xml:"skipped,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// decimal renders seconds as an xs:decimal (never an exponent).
func decimal(seconds float64) string { return fmt.Sprintf("%.3f", seconds) }

// firstLine is s up to its first line break, for a message attribute.
func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// junit renders the coverage as a JUnit document.
func junit(cov Coverage) ([]byte, error) {
	bySuite := map[string]*junitSuite{}
	var names []string
	seconds := map[string]float64{}
	stamp := cov.Started.UTC().Format("2006-01-02T15:04:05")
	for _, r := range cov.Rows {
		if !r.Selected && r.Reason == ReasonNotSelected {
			continue // not part of this run
		}
		op := r.Operation
		if op == "" {
			op = "platform"
		}
		su := bySuite[op]
		if su == nil {
			su = &junitSuite{Name: op, Timestamp: stamp, Properties: []junitProperty{
				{"tool", cov.Tool}, {"contract", cov.Contract.Product + " " + cov.Contract.Version + " " + cov.Contract.Digest},
				{"target", cov.Target}, {"verdict", cov.Verdict}}}
			bySuite[op] = su
			names = append(names, op)
		}
		tc := junitCase{Name: r.Check, Classname: op, Time: decimal(r.Seconds)}
		labels := append([]string(nil), r.Labels...)
		sort.Strings(labels)
		for _, l := range labels {
			tc.Properties = append(tc.Properties, junitProperty{"label", l})
		}
		for _, p := range []junitProperty{{"result", r.Result}, {"evidence", r.Evidence}, {"contract", r.Where}, {"provenance", r.Provenance}} {
			if p.Value != "" {
				tc.Properties = append(tc.Properties, p)
			}
		}
		switch r.Result {
		case "passed":
		case "failed":
			su.Failures++
			text := r.Reason
			for _, part := range []struct{ name, v string }{{"evidence", r.Evidence}, {"our reading", r.Inference}, {"contract", r.Where}, {"documented by", r.Provenance}, {"sent", r.Sent}, {"received", r.Received}} {
				if part.v != "" {
					text += "\n" + part.name + ":\n" + part.v
				}
			}
			tc.Failure = &junitMessage{Message: firstLine(r.Reason), Type: "deviates-from-docs", Text: text}
		default:
			su.Skipped++
			msg := r.Result
			if r.Reason != "" {
				msg += ": " + r.Reason
			}
			tc.Skipped = &junitMessage{Message: firstLine(msg)}
		}
		su.Tests++
		su.Cases = append(su.Cases, tc)
		seconds[op] += r.Seconds
	}
	sort.Strings(names)
	doc := junitSuites{Name: "acsconform", Time: decimal(cov.Seconds)}
	for _, n := range names {
		su := bySuite[n]
		su.Time = decimal(seconds[n])
		doc.Tests += su.Tests
		doc.Failures += su.Failures
		doc.Skipped += su.Skipped
		doc.Suites = append(doc.Suites, *su)
	}
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(out, '\n')...), nil
}

// writeJUnit writes the coverage as JUnit to path.
func writeJUnit(path string, cov Coverage) error {
	b, err := junit(cov)
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}
