package web

import "net/http"

// routeMux is the ServeMux that remembers the patterns registered on it,
// so that the route × role table test (routes_test.go) can hold every
// route to a row: a route nobody decided the access of fails the test.
type routeMux struct {
	*http.ServeMux
	patterns []string
}

func newRouteMux() *routeMux {
	return &routeMux{ServeMux: http.NewServeMux()}
}

// Handle registers h for pattern and remembers the pattern.
func (m *routeMux) Handle(pattern string, h http.Handler) {
	m.patterns = append(m.patterns, pattern)
	m.ServeMux.Handle(pattern, h)
}

// HandleFunc registers f for pattern and remembers the pattern.
func (m *routeMux) HandleFunc(pattern string, f func(http.ResponseWriter, *http.Request)) {
	m.Handle(pattern, http.HandlerFunc(f))
}

// Patterns returns the registered patterns in registration order.
func (m *routeMux) Patterns() []string {
	return append([]string(nil), m.patterns...)
}
