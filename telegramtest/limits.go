package telegramtest

import (
	"fmt"
	"net/http"
	"sort"
	"time"
)

// Limits are flood limits on chat-bound sends: sendMessage, editMessageText,
// editMessageReplyMarkup, sendDocument and sendPhoto. Each limit allows at
// most N accepted sends within any sliding window of the given duration; a
// zero N disables that limit. Refused sends do not count.
type Limits struct {
	// PerChat is how many sends any one chat accepts per PerChatWindow.
	PerChat int
	// PerChatWindow is the sliding window of PerChat.
	PerChatWindow time.Duration
	// PerGroup is how many sends any one group (negative chat id) accepts
	// per PerGroupWindow, on top of PerChat.
	PerGroup int
	// PerGroupWindow is the sliding window of PerGroup.
	PerGroupWindow time.Duration
	// Global is how many sends all chats together accept per GlobalWindow.
	Global int
	// GlobalWindow is the sliding window of Global.
	GlobalWindow time.Duration
}

var (
	// TelegramLimits are the limits Telegram documents: one message per
	// second in a chat, 20 per minute in a group, 30 per second overall.
	TelegramLimits = Limits{
		PerChat: 1, PerChatWindow: time.Second,
		PerGroup: 20, PerGroupWindow: time.Minute,
		Global: 30, GlobalWindow: time.Second,
	}
	// NoLimits disables flood control; it is the default.
	NoLimits = Limits{}
)

// limiter enforces Limits and injected 429 storms.
type limiter struct {
	limits Limits
	// global holds the times of accepted sends still inside GlobalWindow.
	global []time.Time
	// injected is how many next sends are refused regardless of limits,
	// with injectedRetry as retry_after.
	injected      int
	injectedRetry int
	// served429 counts every 429 answer.
	served429 int
}

// admitLocked decides on a chat-bound send to c at now, which has passed
// every other check. An admitted send is recorded; a refused one gets 429
// Too Many Requests with retry_after.
func (l *limiter) admitLocked(c *chatState, now time.Time) *apiError {
	if l.injected > 0 {
		l.injected--
		return tooManyRequests(l.injectedRetry)
	}
	if l.limits.GlobalWindow > 0 {
		cut := sort.Search(len(l.global), func(i int) bool { return l.global[i].After(now.Add(-l.limits.GlobalWindow)) })
		l.global = l.global[cut:]
	}
	wait := max(
		windowWait(c.sendTimes, l.limits.PerChat, l.limits.PerChatWindow, now),
		windowWait(l.global, l.limits.Global, l.limits.GlobalWindow, now),
	)
	if c.id < 0 {
		wait = max(wait, windowWait(c.sendTimes, l.limits.PerGroup, l.limits.PerGroupWindow, now))
	}
	if wait > 0 {
		return tooManyRequests(int((wait + time.Second - 1) / time.Second))
	}
	c.sendTimes = append(c.sendTimes, now)
	l.global = append(l.global, now)
	return nil
}

// windowWait returns how long until one more send fits a limit of n sends
// per window, given the ascending times of past sends; 0 when it fits now
// or the limit is disabled.
func windowWait(times []time.Time, n int, window time.Duration, now time.Time) time.Duration {
	if n <= 0 || window <= 0 {
		return 0
	}
	first := sort.Search(len(times), func(i int) bool { return times[i].After(now.Add(-window)) })
	inWindow := len(times) - first
	if inWindow < n {
		return 0
	}
	return times[first+inWindow-n].Add(window).Sub(now)
}

// tooManyRequests returns the 429 error with retry_after seconds, at least 1.
func tooManyRequests(retryAfter int) *apiError {
	retryAfter = max(retryAfter, 1)
	return &apiError{
		code:        http.StatusTooManyRequests,
		description: fmt.Sprintf("Too Many Requests: retry after %d", retryAfter),
		retryAfter:  retryAfter,
	}
}

// Inject429 makes the next n chat-bound sends fail with 429 Too Many
// Requests and the given retry_after, whatever the limits, to simulate a
// flood-control storm. Sends refused for other reasons do not use up n.
func (s *Server) Inject429(n, retryAfter int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limiter.injected, s.limiter.injectedRetry = n, retryAfter
}

// Count429 returns how many 429 answers the server has given.
func (s *Server) Count429() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limiter.served429
}
