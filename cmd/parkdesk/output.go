package main

import (
	"encoding/json"
	"io"
)

// writeJSON prints v as indented JSON, the --json output of the commands.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// nonNil returns items, or an empty slice for nil, so that an empty list
// prints as [] rather than null.
func nonNil[T any](items []T) []T {
	if items == nil {
		return []T{}
	}
	return items
}
