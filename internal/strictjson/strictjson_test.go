package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

func TestCheck(t *testing.T) {
	for _, tt := range []struct {
		in    string
		where string // "" for no duplicate
		key   string
	}{
		{`{"a":1,"b":2}`, "", ""},
		{`{"a":1,"a":2}`, "-", "a"},
		{`{"facts":{"revenue":{"2023":1,"2023":2}}}`, "facts.revenue", "2023"},
		{`[{"a":1},{"a":1,"b":{"c":[1,{"d":1,"d":2}]}}]`, "[1].b.c[1]", "d"},
		{`{"a":{"x":1},"b":{"x":1}}`, "", ""},
		{`{"a":[{"x":1},{"x":1}]}`, "", ""},
		{`{"":1,"":2}`, "-", ""},
		{`{"a\u0062":1,"ab":2}`, "-", "ab"},
		{`[]`, "", ""},
		{`"x"`, "", ""},
		{`{"a":1,"a"`, "-", "a"},
		{`{"a":`, "", ""},
		{`{{`, "", ""},
		{``, "", ""},
	} {
		err := Check([]byte(tt.in))
		var dup *DuplicateKeyError
		switch {
		case tt.where == "" && err != nil:
			t.Errorf("%s: %v", tt.in, err)
		case tt.where != "" && !errors.As(err, &dup):
			t.Errorf("%s: %v, want a duplicate %q", tt.in, err, tt.key)
		case tt.where != "" && (dup.Key != tt.key || tt.where != "-" && dup.Where() != tt.where || tt.where == "-" && len(dup.Path) != 0):
			t.Errorf("%s: duplicate %q at %q, want %q at %q", tt.in, dup.Key, dup.Where(), tt.key, tt.where)
		}
	}
}

// FuzzCheck: Check never panics, and on valid JSON it finds a duplicate
// exactly when decoding into generic maps loses a key.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{`{"a":1,"a":2}`, `[{"a":{"b":1}},{"a":{"b":1,"b":1}}]`, `{"a":[1,2,{"c":null}]}`, `1`, `{"a":"\u0000"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := Check(data)
		if !json.Valid(data) {
			return
		}
		var v any
		if json.Unmarshal(data, &v) != nil {
			return
		}
		roundTrip, _ := json.Marshal(v)
		keys := countKeys(data)
		again := countKeys(roundTrip)
		if (err != nil) != (keys != again) {
			t.Fatalf("Check(%s) = %v, but the keys are %d before and %d after a round trip", data, err, keys, again)
		}
	})
}

// countKeys counts the object keys of a valid JSON text.
func countKeys(data []byte) int {
	dec := json.NewDecoder(bytes.NewReader(data))
	n := 0
	var objects []bool // per open container: object?
	expectKey := []bool{}
	for {
		tok, err := dec.Token()
		if err != nil {
			return n
		}
		top := len(objects) - 1
		if top >= 0 && objects[top] && expectKey[top] {
			if tok == json.Delim('}') {
				objects, expectKey = objects[:top], expectKey[:top]
				if len(objects) > 0 && objects[len(objects)-1] {
					expectKey[len(expectKey)-1] = true
				}
				continue
			}
			n++
			expectKey[top] = false
			continue
		}
		switch tok {
		case json.Delim('{'):
			objects, expectKey = append(objects, true), append(expectKey, true)
			continue
		case json.Delim('['):
			objects, expectKey = append(objects, false), append(expectKey, false)
			continue
		case json.Delim(']'):
			objects, expectKey = objects[:top], expectKey[:top]
		}
		if len(objects) > 0 && objects[len(objects)-1] {
			expectKey[len(expectKey)-1] = true
		}
	}
}
