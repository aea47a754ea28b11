package handlers_test

import (
	"fmt"
	"net/http"
	"reflect"
	"slices"

	"thiduabot/telegramtest"
)

// This file holds the walk's brief outages of Telegram: now and then,
// before a step, whatever the step is (a command, a press, a reply, a
// tick of the scheduler, an update delivered again), Telegram's front end
// fails the next calls of one of the methods the bot posts, edits,
// answers presses, uploads or deletes with, as it does for a few seconds
// at a time (502, 503, 504, see telegramtest's FailNextWithStatus). They
// are faults of a step rather than a scenario: a scenario drives the block
// towards a state, where an outage may meet the bot in any state. The
// sender sends a call that meets one again (see bot.Sender.Send), so the
// step must come out as it would have without the outage: checkOutage
// checks the calls, and the walk's other checks, as after any step, that
// the bot neither apologised nor said its change was saved and not to be
// sent again, and answered what it must. The bot uploads files
// (sendDocument) only at /export and /summary, which the walk sends
// rarely: before them an outage comes more often, and of sendDocument, or
// the walk would hardly ever see an upload sent again.

// walkOutage is a brief outage of Telegram the walk plays before a step:
// the fake fails as many of the next calls of the Bot API method as calls
// says, with the HTTP status, then serves them; met counts the calls the
// bot made that failed (see checkOutage).
type walkOutage struct {
	method        string
	calls, status int
	met           int
}

// outageMethods are the methods whose calls an outage fails. (The bot
// deletes no message today: an outage of deleteMessage is one the step
// never meets, which the walk must clear.)
var outageMethods = []string{"sendMessage", "editMessageText", "answerCallbackQuery", "sendDocument", "deleteMessage"}

// outageStatuses are the statuses Telegram's front end answers with in a
// brief outage.
var outageStatuses = []int{http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout}

const (
	// outageRate is how rarely a step meets an outage: one in outageRate;
	// before a command that uploads files, one in uploadOutageRate.
	outageRate       = 10
	uploadOutageRate = 2
	// outageCalls bounds the calls an outage fails: the sender's retries
	// (quickRetries), so that the bot always gets through.
	outageCalls = 3
)

// retryLine is what the sender logs, at warn, before each retry after an
// outage.
const retryLine = "telegram unavailable; retrying"

// uploading are the commands whose answer is a file.
var uploading = []string{"export", "summary"}

// The walk's milestones of outages: one that the bot met and got through,
// and one met by the upload of a file.
const (
	reachedOutage       = "a call met a brief outage of Telegram (502, 503, 504) and got through"
	reachedUploadOutage = "a file's upload met a brief outage of Telegram and got through"
)

// drawOutage draws, now and then, an outage of Telegram for the next step,
// which sends the command ("" for an action of another kind), and has the
// fake play it. It draws from the walk's faults, apart from its other
// draws, so that the walk takes the steps it would without outages.
func (w *walker) drawOutage(command string) *walkOutage {
	method := ""
	switch {
	case slices.Contains(uploading, command):
		if w.faults.IntN(uploadOutageRate) == 0 {
			method = "sendDocument"
		}
	case w.faults.IntN(outageRate) == 0:
		method = outageMethods[w.faults.IntN(len(outageMethods))]
	}
	if method == "" {
		return nil
	}
	o := &walkOutage{
		method: method,
		calls:  1 + w.faults.IntN(outageCalls),
		status: outageStatuses[w.faults.IntN(len(outageStatuses))],
	}
	w.tg.FailNextWithStatus(o.method, o.calls, o.status)
	return o
}

func (o *walkOutage) String() string {
	return fmt.Sprintf("(Telegram out: %s fails %d× with %d)", o.method, o.calls, o.status)
}

// failed reports whether the call r failed by the outage o, false for no
// outage.
func (o *walkOutage) failed(r telegramtest.Request) bool {
	return o != nil && r.Method == o.method && r.Status == o.status
}

// retries is the sender's retries after the outage o the step met, 0 for
// no outage.
func (o *walkOutage) retries() int {
	if o == nil {
		return 0
	}
	return o.met
}

// checkOutage checks the calls of the step that met the outage played
// before it, if any: none, if the step made no call of the method; else
// the first failed as many times as the outage fails, each time sent
// again the same, then went through, or was refused as it would have been
// without the outage (see refusedNow), once: no call failed after it, and
// none sent it again. The fake fails a call changing nothing, so that it
// had no effect but the retry's. checkLogs checks that the sender logged
// each retry.
func (w *walker) checkOutage(calls []telegramtest.Request) {
	w.t.Helper()
	o := w.outage
	if o == nil {
		return
	}
	var of []telegramtest.Request
	var statuses []int
	for _, r := range calls {
		if r.Method == o.method {
			of = append(of, r)
			statuses = append(statuses, r.Status)
			if o.failed(r) {
				o.met++
			}
		}
	}
	if len(of) == 0 {
		return
	}
	if o.met != o.calls || len(of) <= o.calls || of[o.calls].Status >= 500 {
		w.fail("%s: the bot's calls of %s were answered %v, not %d failures, then the call through", o, o.method, statuses, o.calls)
	}
	for i, r := range of[1:] {
		switch same := reflect.DeepEqual(r.Params, of[0].Params); {
		case i < o.calls && !same:
			w.fail("%s: the bot sent %s again with other parameters: %v after %v", o, o.method, r.Params, of[0].Params)
		case i >= o.calls && same:
			w.fail("%s: the bot sent %s once more after it went through: %v", o, o.method, r.Params)
		}
	}
	w.reached[reachedOutage]++
	if o.method == "sendDocument" {
		w.reached[reachedUploadOutage]++
	}
}
