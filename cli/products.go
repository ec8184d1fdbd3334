package cli

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/acsconform/acsconform/mock"
	"github.com/acsconform/acsconform/spec"
)

// builtIn is one built-in product as `acsconform products` lists it.
type builtIn struct {
	Name       string `json:"name"` // what --contract takes
	Product    string `json:"product"`
	Version    string `json:"version"`
	Endpoint   string `json:"endpoint"`
	Operations int    `json:"operations"`
	Mock       string `json:"mock"` // how `acsconform mock` serves it
}

func newProductsCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "products",
		Short: "List the built-in products: their contract, generated package and how the mock serves them",
		Long: `List the products built into this binary: the name --contract takes, the product
code and API version, the endpoint, the number of operations, and how
"acsconform mock" serves it (state: its own modelled state; shared state: over the
same directory state as another product; contract-only: its documented samples).
Any other product is read from a contract file (acsconform import --metadata).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var list []builtIn
			for _, name := range spec.Products {
				api, err := spec.LoadProduct(name)
				if err != nil {
					return &exitError{code: ExitUsage, msg: fmt.Sprintf("products: the embedded contract %s does not load: %v", name, err)}
				}
				list = append(list, builtIn{Name: name, Product: api.Product, Version: api.Version, Endpoint: api.Endpoint,
					Operations: len(api.Operations), Mock: mock.Serving(api.Product)})
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(list)
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tPRODUCT\tVERSION\tENDPOINT\tOPERATIONS\tMOCK")
			for _, p := range list {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%s\n", p.Name, p.Product, p.Version, p.Endpoint, p.Operations, p.Mock)
			}
			return w.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the list as JSON")
	return cmd
}
