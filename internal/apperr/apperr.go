// Package apperr is the one error type whose message users may see.
//
// Domain packages return *Error for anything a user did or may fix (bad input,
// a missing record, a forbidden action); every other error is internal, is
// logged with its detail by the adapter that renders it, and reaches users only
// as "internal error". The shape follows wtf's error.go and gotosocial's
// gtserror.WithCode: a code, a safe message, and for invalid input the
// problems at fault, each naming where it is (file, sheet, row or record,
// USCC, field).
package apperr

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an error for the adapters that turn it into an HTTP status
// or an exit code.
type Code string

// The codes. They are part of the JSON API.
const (
	Invalid      Code = "invalid"
	NotFound     Code = "not_found"
	Conflict     Code = "conflict"
	Forbidden    Code = "forbidden"
	Unauthorized Code = "unauthorized"
	Internal     Code = "internal"
	// TooLarge: the request or file is larger than what is accepted.
	TooLarge Code = "too_large"
	// Unavailable: the service cannot answer now (the database is busy
	// with a large write); the same request may be tried again shortly.
	Unavailable Code = "unavailable"
)

// Problem is one thing wrong with some input, located as precisely as the
// input allows. Empty location fields are omitted when shown.
type Problem struct {
	File   string `json:"file,omitempty"`
	Sheet  string `json:"sheet,omitempty"`
	Row    int    `json:"row,omitempty"`    // 1-based line or spreadsheet row
	Record int    `json:"record,omitempty"` // 1-based index of a JSON record
	USCC   string `json:"uscc,omitempty"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
}

// String renders the problem as one line: "file.csv row 7 (USCC 9133…): field revenue: must not be negative".
func (p Problem) String() string {
	var loc []string
	if p.File != "" {
		loc = append(loc, p.File)
	}
	if p.Sheet != "" {
		loc = append(loc, "sheet "+p.Sheet)
	}
	if p.Row > 0 {
		loc = append(loc, fmt.Sprintf("row %d", p.Row))
	}
	if p.Record > 0 {
		loc = append(loc, fmt.Sprintf("record %d", p.Record))
	}
	var b strings.Builder
	b.WriteString(strings.Join(loc, " "))
	if p.USCC != "" {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString("(USCC " + p.USCC + ")")
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if p.Field != "" {
		b.WriteString("field " + p.Field + ": ")
	}
	b.WriteString(p.Reason)
	return b.String()
}

// Error is an error whose Message is safe to show to the user who caused it.
type Error struct {
	Code     Code      `json:"code"`
	Message  string    `json:"message"`
	Problems []Problem `json:"problems,omitempty"`
}

func (e *Error) Error() string {
	if len(e.Problems) == 0 {
		return e.Message
	}
	var b strings.Builder
	b.WriteString(e.Message)
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// InvalidInput returns an Invalid error listing the problems.
func InvalidInput(message string, problems ...Problem) *Error {
	return &Error{Code: Invalid, Message: message, Problems: problems}
}

// CodeOf returns the code of err, or Internal when err is not an *Error.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// MessageOf returns the message that may be shown for err: its own for an
// *Error, "internal error" for anything else, so that driver and system
// errors never reach a page.
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// ProblemsOf returns the problems carried by err, if any.
func ProblemsOf(err error) []Problem {
	var e *Error
	if errors.As(err, &e) {
		return e.Problems
	}
	return nil
}
