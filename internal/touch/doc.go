// Package touch is the enterprise service commissioner system (企业服务专员制度):
// departments file touch requests — visits and surveys, data reports,
// material collection, administrative inspections — and the commissioner of
// each enterprise merges them into the fewest joint visits ("进一次门、查多项事"),
// within the enterprise's quiet windows and caps and the commissioner's
// daily capacity; data already on file and fresh is answered from the
// registry instead of asked again (一表通).
//
// Planning the requests into joint visits is package schedule's: pure, with
// the proofs of its minimality in its documentation. This package reads the
// problem from the database (planning.go) and stores the plan.
package touch
