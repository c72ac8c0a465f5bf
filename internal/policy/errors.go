package policy

import (
	"fmt"
	"strings"

	"github.com/parkdesk/parkdesk/internal/apperr"
)

// Position is a place in a policy file: 1-based line and column.
type Position struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

func (p Position) String() string { return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Column) }

// Issue is one problem found in a policy file.
type Issue struct {
	Pos     Position `json:"pos"`
	Message string   `json:"message"`
}

func (i Issue) String() string { return i.Pos.String() + ": " + i.Message }

// LoadError lists every problem found while loading policy files, in file
// and position order. It unwraps to an *apperr.Error with code Invalid, so
// that adapters show it as the user's input error it is.
type LoadError struct {
	Issues []Issue
}

func (e *LoadError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d problem(s) in policy files", len(e.Issues))
	for _, i := range e.Issues {
		b.WriteString("\n  ")
		b.WriteString(i.String())
	}
	return b.String()
}

// Unwrap returns the issues as an *apperr.Error: the file and line in the
// problem's location, the column and message in its reason.
func (e *LoadError) Unwrap() error {
	problems := make([]apperr.Problem, len(e.Issues))
	for k, i := range e.Issues {
		problems[k] = apperr.Problem{File: i.Pos.File, Row: i.Pos.Line, Reason: fmt.Sprintf("column %d: %s", i.Pos.Column, i.Message)}
	}
	return apperr.InvalidInput(fmt.Sprintf("%d problem(s) in policy files; the policies at fault are not loaded", len(e.Issues)), problems...)
}

// errorText is the message of an error for a policy author: an apperr's own
// message, or the error's text.
func errorText(err error) string {
	if apperr.CodeOf(err) != apperr.Internal {
		return apperr.MessageOf(err)
	}
	return err.Error()
}
