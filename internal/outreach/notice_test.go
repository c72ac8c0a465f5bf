package outreach

import (
	"context"
	"strings"
	"testing"

	"github.com/parkdesk/parkdesk/internal/store"
	"github.com/parkdesk/parkdesk/internal/store/storetest"
)

// A notice goes out like a package: to the enterprise's portal inbox and
// chosen channels, and to the others named, once each.
func TestNoticeIsDeliveredOnce(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s, _ := newService(t, db)
		ent, _ := mustEnterprise(t, db, "精塑科技", "hz")
		mustContact(t, s, Contact{EnterpriseID: ent, Name: "王工", Phone: "13812345678", BySMS: true})
		err := db.InTx(ctx, func(tx *store.Tx) error {
			_, err := QueueNotice(ctx, tx, Notice{Kind: "tech_introduction", EnterpriseID: ent, Subject: "科技成果对接",
				Body: "园区为贵单位对接了科技成果。", Others: []Recipient{{Channel: SMS, Target: "13900001111"}}}, fixtureNow)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var logged []string
		sms := &SMSSender{Provider: smsFunc(func(phone, text, key string) error {
			logged = append(logged, phone+" "+text)
			return nil
		})}
		o := testOutbox(t, db, map[Channel]Sender{SMS: sms})
		if r := mustPush(t, o); r.Sent != 3 {
			t.Fatalf("push: %+v, want portal and two SMS", r)
		}
		if len(logged) != 2 || !strings.Contains(strings.Join(logged, "|"), "13900001111 科技成果对接") {
			t.Errorf("SMS sent: %v", logged)
		}
		if r := mustPush(t, o); r.Sent != 0 {
			t.Errorf("a second push sent %d", r.Sent)
		}
	})
}
