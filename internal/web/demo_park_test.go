package web

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/demo"
	"github.com/parkdesk/parkdesk/internal/enterprise"
	"github.com/parkdesk/parkdesk/internal/exchange"
	"github.com/parkdesk/parkdesk/internal/store"
)

// mustLoadDemoPark fills db with n enterprises of the demo generator,
// through a JSON import as a park's data would come, with the demo's
// parks and tags. It returns the USCCs in generation order.
func mustLoadDemoPark(t testing.TB, db *store.DB, n int, on time.Time) []string {
	t.Helper()
	ctx := context.Background()
	for _, p := range demo.Parks() {
		if err := enterprise.CreatePark(ctx, db, &enterprise.Park{Code: p.Code, NameZh: p.NameZh, NameEn: p.NameEn}); err != nil {
			t.Fatalf("park %s: %v", p.Code, err)
		}
	}
	for _, tag := range demo.Tags() {
		if err := enterprise.CreateTag(ctx, db, &enterprise.Tag{Code: tag.Code, NameZh: tag.NameZh, NameEn: tag.NameEn}); err != nil {
			t.Fatalf("tag %s: %v", tag.Code, err)
		}
	}
	var buf bytes.Buffer
	buf.WriteByte('[')
	var usccs []string
	err := demo.Each(demo.Options{Seed: 7, Enterprises: n, On: on}, func(e demo.Enterprise) error {
		if len(usccs) > 0 {
			buf.WriteByte(',')
		}
		usccs = append(usccs, e.Record.USCC)
		b, err := json.Marshal(e.Record)
		buf.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	buf.WriteByte(']')
	rep, err := exchange.Import(ctx, db, []exchange.File{{Name: "demo.json", Data: buf.Bytes()}}, exchange.Options{Actor: "demo", Source: "demo"})
	if err != nil {
		t.Fatalf("import the demo park: %v (%d problems)", err, rep.ProblemsTotal)
	}
	return usccs
}

// mustLoadMoreDemo adds a hundred demo enterprises to a fixture that has
// its own parks already, through the same import.
func mustLoadMoreDemo(t testing.TB, db *store.DB) {
	t.Helper()
	var buf bytes.Buffer
	buf.WriteByte('[')
	i := 0
	err := demo.Each(demo.Options{Seed: 11, Enterprises: 100, On: fixtureNow}, func(e demo.Enterprise) error {
		e.Record.Park, e.Record.Tags = "", nil
		if i > 0 {
			buf.WriteByte(',')
		}
		i++
		b, err := json.Marshal(e.Record)
		buf.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	buf.WriteByte(']')
	if _, err := exchange.Import(context.Background(), db, []exchange.File{{Name: "more.json", Data: buf.Bytes()}}, exchange.Options{Actor: "test"}); err != nil {
		t.Fatal(err)
	}
}
