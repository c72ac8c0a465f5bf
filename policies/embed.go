// Package policies holds the shipped policy library: one YAML file per
// policy, with its own test cases (format: docs/policy-format.md). The files
// are embedded so that the binary can evaluate without the source tree.
package policies

import "embed"

// FS holds the policy files at its root.
//
//go:embed *.yaml
var FS embed.FS
