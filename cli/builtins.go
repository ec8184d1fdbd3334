package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/acsconform/acsconform/internal/codegen"
	"github.com/acsconform/acsconform/spec"
	"github.com/acsconform/acsconform/spec/metaimport"
	"github.com/spf13/cobra"
)

// module is this repository's module path, which a checkout's go.mod names.
const module = "github.com/acsconform/acsconform"

// newAddProductCmd adds a built-in product to a checkout of this
// repository: the vendor's metadata copied into fixtures/, a curated
// contract that imports its layer, a line in spec/products.txt, then every
// built-in product's layer, generated package and mock registration
// rebuilt (generateBuiltins). A product served from a contract file needs
// none of this: the mock interprets any contract at run time.
func newAddProductCmd() *cobra.Command {
	var metadata, stem, root string
	cmd := &cobra.Command{
		Use:   "add-product",
		Short: "Make a product built in (run in a checkout of acsconform): contract, generated package, mock registration",
		Long: `add-product makes a product of the vendor's catalogue built in: its
api-docs.json is copied to fixtures/metadata/, spec/<name>.yaml is written (a
curated contract that imports the gateway layer and spec/<name>.imported.yaml),
the product is listed in spec/products.txt, and every built-in product's
imported layer, generated package (gen/<name>) and the mock's registration
(mock/builtin_gen.go) are rebuilt. Then make generate and make test;
docs/new-product.md walks it.

A product needs none of this to be mocked and tested: acsconform import
--metadata x.json -o x.yaml, then acsconform mock --contract x.yaml and
acsconform test --contract x.yaml (the mock interprets the contract). Built
in, it gets the generated package's fast path and its typed client.

Exit status: 0 added, 2 a flag is wrong, the folder is not a checkout, the
metadata does not read, or the product is built in already.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkout(root); err != nil {
				return &exitError{code: ExitUsage, msg: "add-product: --root: " + err.Error()}
			}
			data, err := os.ReadFile(metadata)
			if err != nil {
				return &exitError{code: ExitUsage, msg: "add-product: --metadata: " + fileError(metadata, err)}
			}
			doc, err := metaimport.Parse(metadata, data)
			if err != nil {
				return &exitError{code: ExitUsage, msg: "add-product: --metadata " + err.Error()}
			}
			if stem == "" {
				stem = goPackageName(doc.Info.Product)
			}
			if goPackageName(stem) != stem {
				return &exitError{code: ExitUsage, msg: fmt.Sprintf("add-product: --name %q: lower-case letters and digits only (e.g. %q)", stem, goPackageName(stem))}
			}
			list := filepath.Join(root, "spec", "products.txt")
			text, err := os.ReadFile(list)
			if err != nil {
				return &exitError{code: ExitUsage, msg: "add-product: " + fileError(list, err)}
			}
			for _, b := range spec.ParseProducts(string(text)) {
				if b.Stem == stem {
					return &exitError{code: ExitUsage, msg: fmt.Sprintf("add-product: %s is built in already (%s: %s); give another --name", stem, list, b.Metadata)}
				}
			}
			meta := fmt.Sprintf("%s-%s.api-docs.json", stem, doc.Info.Version)
			if err := os.WriteFile(filepath.Join(root, "fixtures", "metadata", meta), data, 0o644); err != nil {
				return &exitError{code: ExitUsage, msg: "add-product: " + err.Error()}
			}
			curated := filepath.Join(root, "spec", stem+".yaml")
			if _, err := os.Stat(curated); err == nil {
				return &exitError{code: ExitUsage, msg: "add-product: " + curated + " exists: remove it or give another --name"}
			}
			base, err := spec.Load()
			if err != nil {
				return &exitError{code: ExitFindings, msg: "add-product: the built-in contract's gateway facts: " + err.Error()}
			}
			if err := os.WriteFile(curated, curatedContract(doc, stem, base.ClockSkew), 0o644); err != nil {
				return &exitError{code: ExitUsage, msg: "add-product: " + err.Error()}
			}
			if !bytes.HasSuffix(text, []byte("\n")) {
				text = append(text, '\n')
			}
			text = fmt.Appendf(text, "%s %s\n", stem, meta)
			if err := os.WriteFile(list, text, 0o644); err != nil {
				return &exitError{code: ExitUsage, msg: "add-product: " + err.Error()}
			}
			if err := generateBuiltins(cmd, root); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "acsconform add-product: %s %s is built in as %s (spec/%s.yaml, gen/%s); now run make generate and make test\n",
				doc.Info.Product, doc.Info.Version, stem, stem, stem)
			return nil
		},
	}
	cmd.Flags().StringVar(&metadata, "metadata", "", "the product's api-docs.json (the vendor's metadata)")
	cmd.Flags().StringVar(&stem, "name", "", "the product's name in the repository: contract file stem, package and --contract name (default: the product code, lower case)")
	cmd.Flags().StringVar(&root, "root", ".", "the checkout of acsconform")
	_ = cmd.MarkFlagRequired("metadata")
	return cmd
}

// newGenerateBuiltinsCmd is make generate's first step: every built-in
// product's layer imported from its metadata, its package generated, and
// the mock's registration written, from spec/products.txt as it is on disk.
func newGenerateBuiltinsCmd() *cobra.Command {
	var root string
	cmd := &cobra.Command{
		Use:   "generate-builtins",
		Short: "Rebuild every built-in product's imported layer, generated package and mock registration (make generate)",
		Long: `generate-builtins is make generate's first step, run in a checkout: for each
line of spec/products.txt it imports the product's layer from its metadata in
fixtures/metadata/ (spec/<name>.imported.yaml) and generates its package
(gen/<name>), then writes the mock's registration of every built-in product
(mock/builtin_gen.go).

Exit status: 0 generated, 1 a contract does not load or cannot be generated,
2 the folder is not a checkout or products.txt is wrong.`,
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkout(root); err != nil {
				return &exitError{code: ExitUsage, msg: "generate-builtins: --root: " + err.Error()}
			}
			return generateBuiltins(cmd, root)
		},
	}
	cmd.Flags().StringVar(&root, "root", ".", "the checkout of acsconform")
	return cmd
}

// checkout says why root is not a checkout of this repository.
func checkout(root string) error {
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return fmt.Errorf("%s is not a checkout of acsconform: %w", root, err)
	}
	if !bytes.HasPrefix(mod, []byte("module "+module+"\n")) {
		return fmt.Errorf("%s/go.mod is not module %s", root, module)
	}
	return nil
}

// generateBuiltins imports each built-in product's layer, generates its
// package and writes the mock's registration.
func generateBuiltins(cmd *cobra.Command, root string) error {
	list := filepath.Join(root, "spec", "products.txt")
	text, err := os.ReadFile(list)
	if err != nil {
		return &exitError{code: ExitUsage, msg: fileError(list, err)}
	}
	builtins := spec.ParseProducts(string(text))
	var stems []string
	for _, b := range builtins {
		if b.Metadata == "" {
			return &exitError{code: ExitUsage, msg: fmt.Sprintf("%s: %s names no metadata file", list, b.Stem)}
		}
		if slices.Contains(stems, b.Stem) {
			return &exitError{code: ExitUsage, msg: fmt.Sprintf("%s: %s is listed twice", list, b.Stem)}
		}
		stems = append(stems, b.Stem)
		cite := "fixtures/metadata/" + b.Metadata
		if err := importMetadata(cmd, filepath.Join(root, cite), cite, filepath.Join(root, "spec", b.Stem+".imported.yaml"), true); err != nil {
			return err
		}
	}
	for _, stem := range stems {
		api, err := spec.LoadFile(filepath.Join(root, "spec", stem+".yaml"))
		if err != nil {
			return &exitError{code: ExitFindings, msg: "generate-builtins: " + err.Error()}
		}
		api.File = "spec/" + stem + ".yaml"
		files, err := codegen.Generate(api, stem)
		if err != nil {
			return &exitError{code: ExitFindings, msg: "generate-builtins: " + err.Error()}
		}
		if err := writeGenerated(filepath.Join(root, "gen", stem), files); err != nil {
			return &exitError{code: ExitUsage, msg: "generate-builtins: " + err.Error()}
		}
	}
	reg, err := codegen.Registry(module, stems)
	if err != nil {
		return &exitError{code: ExitFindings, msg: "generate-builtins: the mock's registration: " + err.Error()}
	}
	return writeGenerated(filepath.Join(root, "mock"), map[string][]byte{"builtin_gen.go": reg})
}

// curatedContract is a new built-in product's curated document: the
// gateway layer and the imported one, and the product's wire facts.
func curatedContract(doc *metaimport.Doc, stem string, skew time.Duration) []byte {
	endpoint := strings.ToLower(doc.Info.Product) + ".aliyuncs.com"
	for _, ep := range doc.Endpoints {
		if ep != nil && ep.Endpoint != "" && !strings.Contains(ep.Endpoint, "-") {
			endpoint = ep.Endpoint
			break
		}
	}
	return fmt.Appendf(nil, `# The contract of %[1]s %[2]s, added by acsconform add-product. Every operation
# comes from the imported layer, generated from the vendor's metadata
# (fixtures/metadata) by make generate; this curated document adds what the
# metadata does not hold: the product's endpoint and wire facts, and the gateway
# layer shared with the other products. Decisions about imported operations go
# under x-acs-curation, each with its reason (spec/README.md, "Layers").
openapi: 3.0.3
info:
  title: %[1]s
  version: "%[2]s"
servers:
  - url: https://%[3]s
    description: The public endpoint (HTTPS).
paths: {}

x-acs-imports:
  - file: gateway.yaml
    note: The vendor's RPC gateway (envelope facts and platform codes), shared by every product.
  - file: %[4]s.imported.yaml
    note: The vendor's API metadata (fixtures/metadata), every operation of the product.

x-acs-api:
  product: %[1]s
  version: "%[2]s"
  endpoint: %[3]s
  style: RPC
  path: /
  methods: [POST, GET]
  parameter-locations: [query, form]
  formats: [JSON, XML]
  signatures: [v1, v3]
  clock-skew: %[5]s
  provenance:
    kind: platform
    reason: >-
      Wire facts of the vendor's RPC gateway (ARCHITECTURE.md, "The Alibaba Cloud RPC
      wire protocol"); the endpoint is the first the metadata lists without a region.
      clock-skew is how far a signed request's timestamp may be from the server's clock,
      as the built-in contracts state it (the vendor's signature documentation).
`, doc.Info.Product, doc.Info.Version, endpoint, stem, durationText(skew))
}
