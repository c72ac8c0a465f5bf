package web

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"

	"go.yaml.in/yaml/v3"
)

// openapi.yaml describes the API; it is written by hand next to the
// handlers, converted to JSON once, and a test holds its paths to the
// routes actually registered, both ways.
//
//go:embed openapi.yaml
var openAPIYAML []byte

var openAPIJSON = mustOpenAPIJSON()

func mustOpenAPIJSON() []byte {
	var doc any
	if err := yaml.Unmarshal(openAPIYAML, &doc); err != nil {
		panic(fmt.Sprintf("web: openapi.yaml: %v", err))
	}
	b, err := json.Marshal(doc)
	if err != nil {
		panic(fmt.Sprintf("web: openapi.yaml as JSON: %v", err))
	}
	return b
}

func (s *Server) openAPI(w http.ResponseWriter, _ *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, err := w.Write(openAPIJSON)
	return err
}
