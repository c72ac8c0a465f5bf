package facts

import (
	"slices"
)

// newerValues are an enterprise's newest values of a write, one per key, in
// the order their keys first came.
type newerValues struct {
	values []currentValue
	// at holds a key's place in values once a second fact of the key came
	// (nil until then: most writes give each key once).
	at map[[2]string]int
}

// add makes v the newest value of its key.
func (n *newerValues) add(v currentValue) {
	k := [2]string{v.Field, v.Period}
	if n.at == nil {
		// Until a key repeats, keys are checked against the values only when
		// one is out of order; in order, a repeat is the previous value's key.
		if last := len(n.values) - 1; last < 0 || compareCurrent(n.values[last], v) < 0 {
			n.values = append(n.values, v)
			return
		}
		n.at = make(map[[2]string]int, len(n.values)+1)
		for i := range n.values {
			n.at[[2]string{n.values[i].Field, n.values[i].Period}] = i
		}
	}
	if i, ok := n.at[k]; ok {
		n.values[i] = v
		return
	}
	n.at[k] = len(n.values)
	n.values = append(n.values, v)
}

// mergeCurrent makes each of the newer values (at most one per key) the
// current value of its key, unless the current one is equal or was
// recorded later, and returns the values and how many changed. current
// must be in key order; the result is. Newer values in key order cost the
// final sort a pass.
func mergeCurrent(current []currentValue, newer []currentValue) ([]currentValue, int) {
	if len(current) == 0 {
		slices.SortFunc(newer, compareCurrent)
		return newer, len(newer)
	}
	changed := 0
	var added []currentValue
	for _, n := range newer {
		i, found := slices.BinarySearchFunc(current, n, compareCurrent)
		switch {
		case !found:
			added = append(added, n)
		case current[i].Value != n.Value && current[i].RecordedAt <= n.RecordedAt:
			current[i] = n
		default:
			continue
		}
		changed++
	}
	if len(added) > 0 {
		current = append(current, added...)
		slices.SortFunc(current, compareCurrent)
	}
	return current, changed
}
