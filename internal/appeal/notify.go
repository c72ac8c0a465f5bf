package appeal

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/parkdesk/parkdesk/internal/outreach"
	"github.com/parkdesk/parkdesk/internal/store"
)

// statusWords are the liaison's words for each status, in the notices the
// outbox delivers (the portal inbox, e-mail, SMS, group robots).
var statusWords = map[Status]string{
	Received:   "已受理登记",
	Assigned:   "已分派至承办部门",
	InProgress: "承办部门正在办理",
	Waiting:    "需要您补充材料或说明",
	Replied:    "已答复，请确认并评价",
	Closed:     "已办结",
	Merged:     "已与您的另一件诉求合并办理",
}

// tellEnterprise queues a notice to the enterprise of an appeal's new
// status, in the transaction of the change: it goes out exactly when the
// change commits, once per channel.
func tellEnterprise(ctx context.Context, tx *store.Tx, r *row, now time.Time, extra string) error {
	body := fmt.Sprintf("您的诉求“%s”%s。", r.title, statusWords[r.status])
	if extra != "" {
		body += "\n" + extra
	}
	_, err := outreach.QueueNotice(ctx, tx, outreach.Notice{
		Kind: "appeal_status", EnterpriseID: r.enterprise,
		Subject: "诉求办理进展：" + statusWords[r.status], Body: body,
		Link: "/portal/appeals/" + strconv.FormatInt(r.id, 10),
	}, now)
	return err
}
