package web

import (
	"context"
	"testing"
	"time"

	"github.com/parkdesk/parkdesk/internal/jobs"
	"github.com/parkdesk/parkdesk/internal/outreach"
	"github.com/parkdesk/parkdesk/internal/store"
)

// pushOutbox runs the outbox as `parkdesk push` does, with the portal only:
// a job client working its queues, the push, the client stopped.
func pushOutbox(t *testing.T, db *store.DB) (outreach.PushReport, error) {
	t.Helper()
	ctx := context.Background()
	o := &outreach.Outbox{DB: db}
	reg := jobs.NewRegistry()
	o.RegisterJobs(reg)
	client, err := jobs.New(ctx, db, reg, jobs.Options{Work: o.Queues(), FetchPollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer client.Stop(ctx)
	o.Jobs = client
	return o.Push(ctx, 10*time.Second)
}
