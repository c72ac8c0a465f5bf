// Package strictjson finds what encoding/json lets pass silently in input
// from outside: an object that gives the same key twice. encoding/json
// keeps the last value, so {"revenue": 1, "revenue": 1e9} would mean
// whichever the sender's library wrote last; parkdesk refuses it instead,
// as RFC 8259 allows ("names within an object SHOULD be unique") and as
// json/v2 does by default.
package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// DuplicateKeyError names a key given twice and where: the keys and array
// indexes from the top down to the object that holds it.
type DuplicateKeyError struct {
	Path []string // e.g. ["facts", "revenue"]; array indexes as "[3]"
	Key  string
}

func (e *DuplicateKeyError) Error() string {
	if len(e.Path) == 0 {
		return fmt.Sprintf("the key %q is given twice", e.Key)
	}
	return fmt.Sprintf("the key %q is given twice in %s", e.Key, e.Where())
}

// Where writes the path of the object as people read it: facts.revenue,
// [3].facts.
func (e *DuplicateKeyError) Where() string {
	var b strings.Builder
	for i, p := range e.Path {
		if i > 0 && !strings.HasPrefix(p, "[") {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// frame is an open object or array.
type frame struct {
	object bool
	keys   map[string]struct{}
	inKey  bool   // the object has read a key and waits for its value
	key    string // that key
	index  int    // the array's next index
	name   string // this container's segment of the path
}

// Check walks one JSON value and returns a *DuplicateKeyError for the
// first object that gives a key twice. Malformed JSON is not its business:
// it returns nil for it, and the decoder that reads the value reports it.
func Check(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var stack []*frame
	path := func() []string {
		out := make([]string, 0, len(stack))
		for _, f := range stack[1:] {
			out = append(out, f.name)
		}
		return out
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return nil
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		// In an object, a string token is a key when the previous value is
		// complete; Decoder.Token enforces the alternation.
		if top != nil && top.object && !top.inKey {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:len(stack)-1]
				if len(stack) == 0 {
					return nil
				}
				valueDone(stack[len(stack)-1])
				continue
			}
			key, _ := tok.(string)
			if _, dup := top.keys[key]; dup {
				return &DuplicateKeyError{Path: path(), Key: key}
			}
			top.keys[key] = struct{}{}
			top.key, top.inKey = key, true
			continue
		}
		name := ""
		if top != nil {
			if top.object {
				name = top.key
			} else {
				name = "[" + strconv.Itoa(top.index) + "]"
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, keys: map[string]struct{}{}, name: name})
		case json.Delim('['):
			stack = append(stack, &frame{name: name})
		case json.Delim(']'):
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				return nil
			}
			valueDone(stack[len(stack)-1])
		default:
			if top == nil {
				return nil // a scalar at the top
			}
			valueDone(top)
		}
	}
}

// valueDone records that a value of the container f is complete.
func valueDone(f *frame) {
	if f.object {
		f.inKey = false
	} else {
		f.index++
	}
}
