package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/acsconform/acsconform/spec"
)

// version is set at link time (-ldflags "-X github.com/acsconform/acsconform/cli.version=v1.2.3");
// otherwise the module version and VCS stamp of the build are used.
var version = ""

// versionString names the binary's version, its commit, the Go toolchain
// and each embedded contract (product, API version, operations, digest —
// the digest every report of a run names), so a report can be traced to
// what produced it.
func versionString() string {
	out := fmt.Sprintf("acsconform %s %s %s/%s", versionLine(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	for _, name := range spec.Products {
		if api, err := spec.LoadProduct(name); err == nil {
			out += fmt.Sprintf("\ncontract: %s %s, %d operations, %s", api.Product, api.Version, len(api.Operations), api.Digest)
		}
	}
	return out
}

// versionLine is the tool's version and, when the build recorded it, its
// commit: "v1.2.3", "(devel) (commit 0123456789ab, modified)".
func versionLine() string {
	v, commit := version, ""
	if info, ok := debug.ReadBuildInfo(); ok {
		if v == "" {
			v = info.Main.Version
		}
		var rev, modified string
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					modified = ", modified"
				}
			}
		}
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if rev != "" {
			commit = " (commit " + rev + modified + ")"
		}
	}
	if v == "" {
		v = "(devel)"
	}
	return v + commit
}

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and embedded contract",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(cmd.OutOrStdout(), versionString())
			return nil
		},
	}
}
