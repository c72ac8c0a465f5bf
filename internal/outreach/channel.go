package outreach

import "slices"

// Channel is a way a package reaches an enterprise.
type Channel string

// The channels. The portal inbox is always used; the liaison chooses the
// others.
const (
	Portal   Channel = "portal"
	Email    Channel = "email"
	SMS      Channel = "sms"
	WeCom    Channel = "wecom"    // 企业微信 group robot
	DingTalk Channel = "dingtalk" // 钉钉 group robot
)

// Channels lists every channel.
var Channels = []Channel{Portal, Email, SMS, WeCom, DingTalk}

// ParseChannel returns the channel named s.
func ParseChannel(s string) (Channel, bool) {
	c := Channel(s)
	return c, slices.Contains(Channels, c)
}

// queue is the River queue of the channel's deliveries: one per channel, so
// that a run may leave a channel that is not configured alone.
func (c Channel) queue() string { return "outreach_" + string(c) }
