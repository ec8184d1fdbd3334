package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/acsconform/acsconform/spec"
	"github.com/acsconform/acsconform/spec/docimport"
	"github.com/acsconform/acsconform/spec/metaimport"
	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"
)

func newImportCmd() *cobra.Command {
	var out, mergeInto, metadata, cite, action string
	var layer bool
	cmd := &cobra.Command{
		Use:   "import PAGE...",
		Short: "Turn vendor API reference pages into the contract vocabulary",
		Long: `import reads API reference pages — in English, Simplified and Traditional
Chinese, Japanese or Portuguese; cells run together, space-separated rows, pipe
rows on one line or split over lines, one cell per line, the API portal —
merges the pages of each operation (the later revision wins; conflicts are
reported) and writes the operations as a contract. The operation is named by
the title, the Action row, a sample request, the description, the RAM action
or the file name, in that order (--action overrides them). Warnings name the
file and line of whatever could not be read, including where a page cut short
ends. It exits 1 only when nothing could be imported.

With --merge-into SPEC, operations the contract lacks are added to it, and for
operations it has, the differences between the pages and the contract are
reported: curated facts are never overwritten.

With --metadata API-DOCS.json (and no pages), the vendor's machine-readable
metadata is read instead: every operation, parameter, response schema and
error code, with limits stated in its Chinese or English prose turned into
rules. The output is an imported layer for a curated contract's x-acs-imports
(see spec/README.md); sentences that read like limits but could not be read
are written into it and reported here.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if action != "" && !docimport.ValidAction(action) {
				return fmt.Errorf("--action %q is not an operation name (one word in PascalCase, such as GetFolder)", action)
			}
			if metadata != "" {
				if len(args) > 0 {
					return fmt.Errorf("--metadata reads one metadata file; give pages without it")
				}
				return nil
			}
			return cobra.MinimumNArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			if metadata != "" {
				return importMetadata(cmd, metadata, cite, out, layer)
			}
			var inputs []docimport.Input
			var unreadable []string
			for _, a := range args {
				if fi, err := os.Stat(a); err == nil && fi.IsDir() {
					unreadable = append(unreadable, fmt.Sprintf("%s is a folder: give the page files in it (%s)", a, filepath.Join(a, "*")))
					continue
				}
				data, err := os.ReadFile(a)
				if err != nil {
					unreadable = append(unreadable, fileError(a, err))
					continue
				}
				inputs = append(inputs, docimport.Input{Name: a, Data: data, Action: action})
			}
			if len(unreadable) > 0 {
				// Nothing is written from a partial set of pages.
				return &exitError{code: ExitUsage, msg: "import: " + strings.Join(unreadable, "; ") + " (nothing written)"}
			}
			res, err := docimport.Import(inputs)
			for _, w := range res.Warnings {
				fmt.Fprintf(cmd.ErrOrStderr(), "warning: %s\n", w)
			}
			for _, c := range res.Conflicts {
				fmt.Fprintf(cmd.ErrOrStderr(), "conflict: %s: %v; took %q\n", c.Subject, c.Values, c.Taken)
			}
			if err != nil {
				return &exitError{code: ExitFindings, msg: err.Error()}
			}
			doc := res.Document
			if mergeInto != "" {
				merged, report, err := mergeIntoSpec(mergeInto, res)
				if err != nil {
					return &exitError{code: ExitUsage, msg: "import: --merge-into " + err.Error()}
				}
				for _, line := range report {
					fmt.Fprintln(cmd.ErrOrStderr(), line)
				}
				doc = merged
			}
			if out == "" {
				_, err = cmd.OutOrStdout().Write(doc)
				return err
			}
			if err := os.WriteFile(out, doc, 0o644); err != nil {
				return &exitError{code: ExitUsage, msg: "import: --out: " + fileError(out, err)}
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "acsconform import: %d operation(s) from %d page(s) written to %s\n", len(res.Ops), len(inputs), out)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "out", "o", "", "write the contract here (default: standard output)")
	cmd.Flags().StringVar(&out, "output", "", "")
	_ = cmd.Flags().MarkDeprecated("output", "use -o/--out")
	cmd.Flags().StringVar(&metadata, "metadata", "", "read the vendor's API metadata (api-docs.json) instead of pages")
	cmd.Flags().StringVar(&cite, "cite-as", "", "with --metadata: the file name the layer cites as its source (default: the path given)")
	cmd.Flags().BoolVar(&layer, "layer", false, "with --metadata: write an imported layer for a curated document that imports the gateway itself (default: a standalone contract, the gateway's facts and platform codes included)")
	cmd.Flags().StringVar(&action, "action", "", "the operation the pages document, over what they say (for a page that names none)")
	cmd.Flags().StringVar(&mergeInto, "merge-into", "", "add the imported operations to this contract and report differences for those it has")
	return cmd
}

// importMetadata writes the contract of a metadata file: standalone (the
// gateway's facts and platform codes included, so it loads, generates and
// tests on its own), or, with layer, the imported layer a curated document
// imports beside the gateway (spec/generate.go).
func importMetadata(cmd *cobra.Command, file, cite, out string, layer bool) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return &exitError{code: ExitUsage, msg: "import: --metadata: " + fileError(file, err)}
	}
	doc, err := metaimport.Parse(file, data)
	if err != nil {
		return &exitError{code: ExitUsage, msg: "import: --metadata " + err.Error()}
	}
	if cite == "" {
		cite = filepath.ToSlash(file)
	}
	// The gateway's generic codes come from the contract's platform codes.
	api, err := spec.Load()
	if err != nil {
		return &exitError{code: ExitFindings, msg: "import: --metadata: the contract's platform codes: " + err.Error()}
	}
	res, err := metaimport.Import(doc, metaimport.Options{File: cite, Fallback: metaimport.FallbackFrom(api)})
	if err != nil {
		return &exitError{code: ExitFindings, msg: err.Error()}
	}
	for _, f := range res.Findings {
		fmt.Fprintf(cmd.ErrOrStderr(), "note: %s: %s\n", file, f)
	}
	if !layer {
		if res.Document, err = withGateway(res.Document, api.ClockSkew); err != nil {
			return &exitError{code: ExitFindings, msg: "import: --metadata: adding the gateway: " + err.Error()}
		}
	}
	if out == "" {
		_, err = cmd.OutOrStdout().Write(res.Document)
		return err
	}
	if err := os.WriteFile(out, res.Document, 0o644); err != nil {
		return &exitError{code: ExitUsage, msg: "import: --out: " + fileError(out, err)}
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "acsconform import: %d operation(s) from %s written to %s (%d note(s))\n", res.Ops, file, out, len(res.Findings))
	return nil
}

// mergeIntoSpec adds imported operations an existing contract lacks and
// reports, for those it has, what the pages say differently.
func mergeIntoSpec(path string, res *docimport.Result) ([]byte, []string, error) {
	cur, err := spec.LoadFile(path)
	if err != nil {
		return nil, nil, err
	}
	imported, err := spec.Parse("imported", res.Document)
	if err != nil {
		return nil, nil, fmt.Errorf("the imported operations do not load: %w", err)
	}
	var report []string
	var add []string
	for _, op := range imported.Operations {
		// An operation only an imported layer holds is added: the pages'
		// reading becomes the curated one, and lint (curated-drift) says
		// where it differs from the layer's.
		if have := cur.Operation(op.Action); have == nil || have.Pos.File != cur.File {
			add = append(add, op.Action)
			continue
		}
		for _, d := range docimport.Compare(imported, cur, op.Action) {
			report = append(report, "differs: "+d.String())
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	merged, err := docimport.AddOperations(data, res.Document, add)
	if err != nil {
		return nil, nil, err
	}
	merged, dropped, err := docimport.DropCurations(merged, add)
	if err != nil {
		return nil, nil, err
	}
	report = append(report, dropped...)
	if len(add) == 0 && len(report) == 0 {
		report = append(report, "the contract already says everything the pages say")
	}
	return merged, report, errors.Join()
}

// withGateway adds the embedded gateway layer's facts and platform codes
// (spec/gateway.yaml) to an imported document that has none, making it a
// contract of its own.
// durationText writes a duration as the contracts do (15m, 90s).
func durationText(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}

func withGateway(doc []byte, skew time.Duration) ([]byte, error) {
	gw, err := spec.EmbeddedLayer("gateway.yaml")
	if err != nil {
		return nil, err
	}
	var g, d yaml.Node
	if err := yaml.Unmarshal(gw, &g); err != nil {
		return nil, err
	}
	if err := yaml.Unmarshal(doc, &d); err != nil {
		return nil, err
	}
	if len(g.Content) == 0 || len(d.Content) == 0 {
		return nil, fmt.Errorf("an empty document")
	}
	groot, droot := g.Content[0], d.Content[0]
	// The signature window is the gateway's, as the built-in contracts
	// state it (a timestamp more than 15 minutes off is refused:
	// gateway.yaml's InvalidTimeStamp.Expired).
	for i := 0; i+1 < len(droot.Content); i += 2 {
		if api := droot.Content[i+1]; droot.Content[i].Value == spec.ExtApi && api.Kind == yaml.MappingNode {
			stated := false
			for j := 0; j+1 < len(api.Content); j += 2 {
				stated = stated || api.Content[j].Value == "clock-skew"
			}
			if !stated {
				api.Content = append(api.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "clock-skew"}, &yaml.Node{Kind: yaml.ScalarNode, Value: durationText(skew)})
			}
		}
	}
	have := map[string]bool{}
	for i := 0; i+1 < len(droot.Content); i += 2 {
		have[droot.Content[i].Value] = true
	}
	for i := 0; i+1 < len(groot.Content); i += 2 {
		if k := groot.Content[i].Value; strings.HasPrefix(k, "x-acs-") && !have[k] {
			droot.Content = append(droot.Content, groot.Content[i], groot.Content[i+1])
		}
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&d); err != nil {
		return nil, err
	}
	return buf.Bytes(), enc.Close()
}
