package bot

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Outcomes of handling an update, the values of the "outcome" label of
// thiduabot_updates_total.
const (
	OutcomeOK        = "ok"
	OutcomeError     = "error"
	OutcomePanic     = "panic"
	OutcomeDuplicate = "duplicate"
)

// Metrics holds the Prometheus collectors of the transport. Every method is
// safe on a nil *Metrics, which records nothing.
type Metrics struct {
	updates     *prometheus.CounterVec
	handlerTime prometheus.Histogram
	sent        *prometheus.CounterVec
	flood       prometheus.Counter
	outage      prometheus.Counter
	sendQueue   prometheus.Gauge
	updateQueue prometheus.Gauge
}

// NewMetrics creates the collectors and registers them with reg; a nil reg
// leaves them unregistered. Every outcome of thiduabot_updates_total starts
// at 0, so that it is exposed before the first update. It panics if they
// are already registered there, like prometheus.MustRegister.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	f := promauto.With(reg)
	m := &Metrics{
		updates: f.NewCounterVec(prometheus.CounterOpts{
			Name: "thiduabot_updates_total",
			Help: "Updates taken in, by outcome (ok, error, panic, duplicate).",
		}, []string{"outcome"}),
		handlerTime: f.NewHistogram(prometheus.HistogramOpts{
			Name:    "thiduabot_handler_seconds",
			Help:    "Time spent handling one update.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2.5, 10),
		}),
		sent: f.NewCounterVec(prometheus.CounterOpts{
			Name: "thiduabot_messages_sent_total",
			Help: "Successful chat-bound calls (messages sent, edited, deleted), by request type.",
		}, []string{"method"}),
		flood: f.NewCounter(prometheus.CounterOpts{
			Name: "thiduabot_telegram_429_total",
			Help: "Answers of HTTP 429 (flood control) from Telegram.",
		}),
		outage: f.NewCounter(prometheus.CounterOpts{
			Name: "thiduabot_telegram_5xx_total",
			Help: "Calls retried after Telegram answered HTTP 502, 503 or 504, or could not be reached.",
		}),
		sendQueue: f.NewGauge(prometheus.GaugeOpts{
			Name: "thiduabot_send_queue_depth",
			Help: "Callers waiting in the sender for a rate-limit slot.",
		}),
		updateQueue: f.NewGauge(prometheus.GaugeOpts{
			Name: "thiduabot_update_queue_depth",
			Help: "Updates waiting in the dispatcher to be handled.",
		}),
	}
	for _, o := range []string{OutcomeOK, OutcomeError, OutcomePanic, OutcomeDuplicate} {
		m.updates.WithLabelValues(o)
	}
	return m
}

func (m *Metrics) update(outcome string) {
	if m != nil {
		m.updates.WithLabelValues(outcome).Inc()
	}
}

func (m *Metrics) handled(d time.Duration) {
	if m != nil {
		m.handlerTime.Observe(d.Seconds())
	}
}

func (m *Metrics) sentOne(method string) {
	if m != nil {
		m.sent.WithLabelValues(method).Inc()
	}
}

func (m *Metrics) tooManyRequests() {
	if m != nil {
		m.flood.Inc()
	}
}

func (m *Metrics) unavailable() {
	if m != nil {
		m.outage.Inc()
	}
}

func (m *Metrics) sendWaiting(delta float64) {
	if m != nil {
		m.sendQueue.Add(delta)
	}
}

func (m *Metrics) updatesWaiting(delta float64) {
	if m != nil {
		m.updateQueue.Add(delta)
	}
}
