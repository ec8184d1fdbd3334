package cli

import (
	"crypto/sha256"
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
// and the embedded contract (product, API version, operations, digest), so
// a report can be traced to what produced it.
func versionString() string {
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
	out := fmt.Sprintf("acsconform %s%s %s %s/%s", v, commit, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if api, err := spec.Load(); err == nil {
		out += fmt.Sprintf("\ncontract: %s %s, %d operations, sha256:%x", api.Product, api.Version, len(api.Operations), sha256.Sum256(spec.Embedded()))
	}
	return out
}

// versionLine is the tool's version alone ("v1.2.3", "(devel)").
func versionLine() string {
	v := version
	if v == "" {
		if info, ok := debug.ReadBuildInfo(); ok {
			v = info.Main.Version
		}
	}
	if v == "" {
		v = "(devel)"
	}
	return v
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
