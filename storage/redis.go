package storage

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"thiduabot/thidua"
)

// DefaultRedisPrefix is the key prefix NewRedis uses when given none.
const DefaultRedisPrefix = "thidua:"

// Update's retry policy when a concurrent writer wins the race: full-jitter
// exponential backoff from conflictBackoffMin up to conflictBackoffMax, for at
// most conflictAttempts attempts or conflictBudget in all, whichever ends first.
const (
	conflictAttempts   = 50
	conflictBudget     = 3 * time.Second
	conflictBackoffMin = time.Millisecond
	conflictBackoffMax = 64 * time.Millisecond
)

// Redis is a Store on Redis through a go-redis UniversalClient, so a single
// node, Sentinel or Cluster. Several processes may share one Redis and prefix.
//
// Keys, where P is the prefix:
//
//	P{b:ID}:doc              string: the block's JSON document (with schema and version)
//	P{b:ID}:log              list: the block's history, one JSON event per entry, oldest first
//	Pchat:CHAT               string: the id of the block bound to the chat
//	Pupd:SCOPE:UPDATE        string with a TTL: the update has been handled
//	Pdm:USER                 string: the user has started the bot in private
//	Pdue                     sorted set: block ids scored by due time (Unix seconds, rounded down)
//	Pclaim:KEY               string with a TTL: a claim (see Claim)
//
// The {b:ID} hash tag keeps a block's document and history on one Cluster slot,
// so that they are written in one transaction. The prefix should contain no
// '{': a hash tag in it would put every key on one slot.
//
// The due index is kept never later than the truth. Writes only ever lower
// an entry (ZADD LT): on a single node or Sentinel inside the block's
// MULTI/EXEC, at no extra cost; on a Cluster, where the index lives on
// another slot than the block, before the transaction and again after it,
// when the write brings the block's NextDue forward. Only RefreshDue, which
// the scheduler calls after running a block, raises or removes an entry,
// checking that the block did not change meanwhile. An entry left too early
// (a deadline deleted, a crash between steps) costs the scheduler one look
// at the block.
type Redis struct {
	client redis.UniversalClient
	prefix string
	// crossSlot is true when one transaction cannot write both a block and
	// the due index (a Cluster or a Ring).
	crossSlot bool
}

var _ Store = (*Redis)(nil)

// NewRedis returns a Store on the client, with every key under prefix
// (DefaultRedisPrefix if empty). The store owns the client: Close closes it.
//
// The client should have ContextTimeoutEnabled set, so that a context deadline
// bounds every call even while Redis is unreachable; ParseRedisURL sets it.
func NewRedis(client redis.UniversalClient, prefix string) *Redis {
	if prefix == "" {
		prefix = DefaultRedisPrefix
	}
	_, single := client.(*redis.Client) // a single node, or Sentinel's master
	return &Redis{client: client, prefix: prefix, crossSlot: !single}
}

// OpenRedis connects to the Redis at a redis:// or rediss:// URL (see
// ParseRedisURL) and returns a Store with every key under prefix
// (DefaultRedisPrefix if empty). It does not contact Redis; use Ping for that.
// It returns an error, which never contains the URL's password, if the URL
// cannot be read.
func OpenRedis(rawURL, prefix string) (*Redis, error) {
	opts, err := ParseRedisURL(rawURL)
	if err != nil {
		return nil, err
	}
	return NewRedis(redis.NewUniversalClient(opts), prefix), nil
}

// ParseRedisURL reads a redis:// or rediss:// URL, such as
// redis://user:password@host:6379/0?dial_timeout=3s, into options for
// redis.NewUniversalClient, with ContextTimeoutEnabled set. A caller may add
// what a URL cannot express (a Sentinel MasterName, more Cluster seed Addrs)
// before creating the client and passing it to NewRedis. It returns an error,
// which never contains the URL's password, if the URL cannot be read.
func ParseRedisURL(rawURL string) (*redis.UniversalOptions, error) {
	o, err := redis.ParseURL(rawURL)
	if err != nil {
		// A *url.Error quotes the whole URL, password included: keep only
		// the reason.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("storage: cannot read the Redis URL (want redis://[user:password@]host[:port][/db]): %w", err)
	}
	if o.Network != "tcp" {
		return nil, errors.New("storage: cannot read the Redis URL: only redis:// and rediss:// are supported")
	}
	return &redis.UniversalOptions{
		Addrs:                   []string{o.Addr},
		ClientName:              o.ClientName,
		DB:                      o.DB,
		Protocol:                o.Protocol,
		Username:                o.Username,
		Password:                o.Password,
		MaxRetries:              o.MaxRetries,
		MinRetryBackoff:         o.MinRetryBackoff,
		MaxRetryBackoff:         o.MaxRetryBackoff,
		DialTimeout:             o.DialTimeout,
		ReadTimeout:             o.ReadTimeout,
		WriteTimeout:            o.WriteTimeout,
		ContextTimeoutEnabled:   true,
		PipelineReadBufferSize:  o.PipelineReadBufferSize,
		PipelineWriteBufferSize: o.PipelineWriteBufferSize,
		PipelinePoolSize:        o.PipelinePoolSize,
		PoolFIFO:                o.PoolFIFO,
		PoolSize:                o.PoolSize,
		MaxConcurrentDials:      o.MaxConcurrentDials,
		PoolTimeout:             o.PoolTimeout,
		MinIdleConns:            o.MinIdleConns,
		MaxIdleConns:            o.MaxIdleConns,
		MaxActiveConns:          o.MaxActiveConns,
		ConnMaxIdleTime:         o.ConnMaxIdleTime,
		ConnMaxLifetime:         o.ConnMaxLifetime,
		ConnMaxLifetimeJitter:   o.ConnMaxLifetimeJitter,
		TLSConfig:               o.TLSConfig,
	}, nil
}

func (r *Redis) docKey(id string) string { return r.prefix + "{b:" + id + "}:doc" }
func (r *Redis) logKey(id string) string { return r.prefix + "{b:" + id + "}:log" }

func (r *Redis) chatKey(chatID int64) string {
	return r.prefix + "chat:" + strconv.FormatInt(chatID, 10)
}

func (r *Redis) updateKey(scope, updateID int64) string {
	return r.prefix + "upd:" + strconv.FormatInt(scope, 10) + ":" + strconv.FormatInt(updateID, 10)
}

func (r *Redis) dmKey(userID int64) string {
	return r.prefix + "dm:" + strconv.FormatInt(userID, 10)
}

func (r *Redis) dueKey() string { return r.prefix + "due" }

func (r *Redis) claimKey(key string) string { return r.prefix + "claim:" + key }

// CreateBlock stores a new block and binds b.ChatID to it, appending
// b.TakeEvents() to its history, and sets b.Version. It returns ErrExists if
// the chat is already bound to a block or a block with this id exists. On error
// b is unchanged.
//
// The document is written first and the chat bound second, with SET NX, so a
// chat never gets two blocks and never points to a missing document; a
// document whose chat turns out to be taken is deleted again. (The two keys may
// live on different Cluster slots, so one transaction cannot cover both.)
func (r *Redis) CreateBlock(ctx context.Context, b *thidua.Block) error {
	c, doc, events, err := newDocument(b)
	if err != nil {
		return err
	}
	docKey, logKey := r.docKey(c.ID), r.logKey(c.ID)
	due := c.NextDue()
	if err := r.lowerDue(ctx, r.client, c.ID, due); err != nil {
		return fmt.Errorf("storage: create block %s: %w", c.ID, err)
	}
	err = r.client.Watch(ctx, func(tx *redis.Tx) error {
		n, err := tx.Exists(ctx, docKey).Result()
		if err != nil {
			return err
		}
		if n > 0 {
			return exists("block %s", c.ID)
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, docKey, doc, 0)
			p.Del(ctx, logKey)
			if len(events) > 0 {
				p.RPush(ctx, logKey, listValues(events)...)
			}
			return nil
		})
		return err
	}, docKey)
	switch {
	case errors.Is(err, redis.TxFailedErr):
		return exists("block %s", c.ID)
	case errors.Is(err, ErrExists):
		return err
	case err != nil:
		return fmt.Errorf("storage: create block %s: %w", c.ID, err)
	}

	bound, err := r.client.SetNX(ctx, r.chatKey(c.ChatID), c.ID, 0).Result()
	if err != nil {
		// The chat may or may not have been bound (a lost reply): keep the
		// document, which is either the chat's block or unreachable.
		return fmt.Errorf("storage: create block %s: bind chat %d: %w", c.ID, c.ChatID, err)
	}
	if !bound {
		// Nothing refers to the document: remove it. Should that fail, it is
		// left unreachable, which is harmless.
		_ = r.client.Del(ctx, docKey, logKey).Err()
		return exists("chat %d already has a block", c.ChatID)
	}
	*b = c
	// The entry was lowered before the write; this repeats it in case
	// RefreshDue raised it meanwhile. Failing here leaves the block written.
	_ = r.lowerDue(ctx, r.client, c.ID, due)
	return nil
}

// Block returns the block with this id. It returns ErrNotFound if there is
// none.
func (r *Redis) Block(ctx context.Context, id string) (*thidua.Block, error) {
	doc, err := r.client.Get(ctx, r.docKey(id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, notFound("block %s", id)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: read block %s: %w", id, err)
	}
	return decodeBlock(id, doc)
}

// BlockByChat returns the block bound to the chat. It returns ErrNotFound if
// the chat is bound to no block.
func (r *Redis) BlockByChat(ctx context.Context, chatID int64) (*thidua.Block, error) {
	id, err := r.client.Get(ctx, r.chatKey(chatID)).Result()
	if errors.Is(err, redis.Nil) {
		return nil, notFound("chat %d", chatID)
	}
	if err != nil {
		return nil, fmt.Errorf("storage: read chat %d: %w", chatID, err)
	}
	return r.Block(ctx, id)
}

// Update reads the block, calls fn on it and writes it back with its version
// bumped, appending the events fn recorded to its history, in one WATCH/MULTI
// transaction on the block's document. If another writer changed the document
// in between, it waits a little and starts over, calling fn again on the fresh
// block; after too many attempts it returns ErrConflict. If fn returns an
// error nothing is written and that error is returned unchanged. It returns the
// block as written, or ErrNotFound if there is none.
//
// A Redis error other than a lost race ends Update at once: it may have come
// after the write was applied, so Update does not repeat it. Callers that retry
// such errors should make fn idempotent (see thidua.Block.MarkApplied).
//
// The block's entry in the due index is lowered to the written NextDue in the
// same transaction, or on a Cluster before and after it when the change
// brings the block's work forward (see the type's comment).
func (r *Redis) Update(ctx context.Context, id string, fn func(*thidua.Block) error) (*thidua.Block, error) {
	docKey, logKey := r.docKey(id), r.logKey(id)
	start := time.Now()
	for attempt := 1; ; attempt++ {
		var (
			written  change
			applyErr error
		)
		err := r.client.Watch(ctx, func(tx *redis.Tx) error {
			doc, err := tx.Get(ctx, docKey).Bytes()
			if errors.Is(err, redis.Nil) {
				applyErr = notFound("block %s", id)
				return applyErr
			}
			if err != nil {
				return err
			}
			c, err := modify(id, doc, fn)
			if err != nil {
				applyErr = err
				return err
			}
			if r.crossSlot && c.earlier() {
				if err := r.lowerDue(ctx, r.client, id, c.due); err != nil {
					return err
				}
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				p.Set(ctx, docKey, c.doc, 0)
				if len(c.events) > 0 {
					p.RPush(ctx, logKey, listValues(c.events)...)
				}
				if !r.crossSlot {
					return r.lowerDue(ctx, p, id, c.due)
				}
				return nil
			})
			written = c
			return err
		}, docKey)
		switch {
		case err == nil:
			if r.crossSlot && written.earlier() {
				// Failing here leaves the block written; see the type's comment.
				_ = r.lowerDue(ctx, r.client, id, written.due)
			}
			return written.block, nil
		case applyErr != nil:
			return nil, applyErr
		case !errors.Is(err, redis.TxFailedErr):
			return nil, fmt.Errorf("storage: update block %s: %w", id, err)
		case attempt >= conflictAttempts || time.Since(start) >= conflictBudget:
			return nil, fmt.Errorf("%w: block %s, %d attempts in %v", ErrConflict, id, attempt, time.Since(start).Round(time.Millisecond))
		}
		if err := sleep(ctx, backoff(attempt)); err != nil {
			return nil, fmt.Errorf("storage: update block %s: %w", id, err)
		}
	}
}

// MoveChat rebinds the block of oldChat to newChat and sets the block's
// ChatID. If oldChat is bound to nothing it does nothing when newChat is bound
// (the move was done before) and returns ErrNotFound otherwise. It returns
// ErrExists if newChat is bound to another block. Repeating an interrupted
// move completes it.
//
// The steps are ordered so that each is idempotent and the block stays
// reachable throughout: bind newChat (SET NX), update the document, then
// unbind oldChat if it still points to the block.
func (r *Redis) MoveChat(ctx context.Context, oldChat, newChat int64) error {
	id, err := r.client.Get(ctx, r.chatKey(oldChat)).Result()
	if errors.Is(err, redis.Nil) {
		n, err := r.client.Exists(ctx, r.chatKey(newChat)).Result()
		if err != nil {
			return fmt.Errorf("storage: move chat %d: %w", oldChat, err)
		}
		if n == 0 {
			return notFound("chat %d", oldChat)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("storage: move chat %d: %w", oldChat, err)
	}
	if oldChat == newChat {
		return nil
	}

	bound, err := r.client.SetNX(ctx, r.chatKey(newChat), id, 0).Result()
	if err != nil {
		return fmt.Errorf("storage: move chat %d to %d: %w", oldChat, newChat, err)
	}
	if !bound {
		cur, err := r.client.Get(ctx, r.chatKey(newChat)).Result()
		if err != nil && !errors.Is(err, redis.Nil) {
			return fmt.Errorf("storage: move chat %d to %d: %w", oldChat, newChat, err)
		}
		if cur != id {
			return exists("chat %d already has a block", newChat)
		}
	}
	if _, err := r.Update(ctx, id, setChat(newChat)); err != nil {
		return err
	}
	if err := unbindScript.Run(ctx, r.client, []string{r.chatKey(oldChat)}, id).Err(); err != nil {
		return fmt.Errorf("storage: move chat %d to %d: unbind: %w", oldChat, newChat, err)
	}
	return nil
}

// unbindScript deletes KEYS[1] if it holds ARGV[1].
var unbindScript = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
	return redis.call("DEL", KEYS[1])
end
return 0`)

// History returns up to limit of the block's most recent events, oldest
// first; limit <= 0 means all. It returns ErrNotFound if there is no block
// with this id.
func (r *Redis) History(ctx context.Context, id string, limit int) ([]thidua.Event, error) {
	start := int64(0)
	if limit > 0 {
		start = -int64(limit)
	}
	var (
		found *redis.IntCmd
		items *redis.StringSliceCmd
	)
	_, err := r.client.Pipelined(ctx, func(p redis.Pipeliner) error {
		found = p.Exists(ctx, r.docKey(id))
		items = p.LRange(ctx, r.logKey(id), start, -1)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("storage: read history of block %s: %w", id, err)
	}
	if found.Val() == 0 {
		return nil, notFound("block %s", id)
	}
	events := make([]thidua.Event, len(items.Val()))
	for i, item := range items.Val() {
		if events[i], err = decodeEvent(id, []byte(item)); err != nil {
			return nil, err
		}
	}
	return events, nil
}

// UpdateHandled reports whether the update was marked handled by
// MarkUpdateHandled and the mark has not expired.
func (r *Redis) UpdateHandled(ctx context.Context, scope, updateID int64) (bool, error) {
	n, err := r.client.Exists(ctx, r.updateKey(scope, updateID)).Result()
	if err != nil {
		return false, fmt.Errorf("storage: read update %d: %w", updateID, err)
	}
	return n > 0, nil
}

// MarkUpdateHandled records that the update has been handled, for ttl, and
// reports whether this call was the first to mark it. It returns an error if
// ttl is not positive.
func (r *Redis) MarkUpdateHandled(ctx context.Context, scope, updateID int64, ttl time.Duration) (bool, error) {
	if ttl <= 0 {
		return false, fmt.Errorf("storage: mark update %d: ttl %v is not positive", updateID, ttl)
	}
	first, err := r.client.SetNX(ctx, r.updateKey(scope, updateID), 1, ttl).Result()
	if err != nil {
		return false, fmt.Errorf("storage: mark update %d: %w", updateID, err)
	}
	return first, nil
}

// SetReachable records whether the user has started the bot in private.
func (r *Redis) SetReachable(ctx context.Context, userID int64, reachable bool) error {
	var err error
	if reachable {
		err = r.client.Set(ctx, r.dmKey(userID), 1, 0).Err()
	} else {
		err = r.client.Del(ctx, r.dmKey(userID)).Err()
	}
	if err != nil {
		return fmt.Errorf("storage: set reachable %d: %w", userID, err)
	}
	return nil
}

// Reachable reports what SetReachable recorded last for the user (false if
// nothing).
func (r *Redis) Reachable(ctx context.Context, userID int64) (bool, error) {
	n, err := r.client.Exists(ctx, r.dmKey(userID)).Result()
	if err != nil {
		return false, fmt.Errorf("storage: read reachable %d: %w", userID, err)
	}
	return n > 0, nil
}

// DueBlocks returns the ids of up to limit blocks (all if limit <= 0) whose
// entry in the due index is at or before until, earliest first, with one
// ZRANGEBYSCORE.
func (r *Redis) DueBlocks(ctx context.Context, until time.Time, limit int) ([]string, error) {
	by := &redis.ZRangeBy{Min: "-inf", Max: strconv.FormatInt(until.Unix(), 10)}
	if limit > 0 {
		by.Count = int64(limit)
	}
	ids, err := r.client.ZRangeByScore(ctx, r.dueKey(), by).Result()
	if err != nil {
		return nil, fmt.Errorf("storage: read due blocks: %w", err)
	}
	return ids, nil
}

// refreshAttempts bounds RefreshDue's attempts while the block keeps changing.
const refreshAttempts = 10

// RefreshDue sets block id's entry in the due index to the block's NextDue,
// removing it when that is zero or the block does not exist. It reads the
// block, writes the entry, and reads the block again: if the block changed
// in between it starts over, so that an entry raised from a stale read
// cannot stay later than a concurrent write's due time. It returns
// ErrConflict if the block kept changing.
func (r *Redis) RefreshDue(ctx context.Context, id string) error {
	version, due, err := r.dueOf(ctx, id)
	if err != nil {
		return err
	}
	for range refreshAttempts {
		if due.IsZero() {
			err = r.client.ZRem(ctx, r.dueKey(), id).Err()
		} else {
			err = r.client.ZAdd(ctx, r.dueKey(), redis.Z{Score: dueScore(due), Member: id}).Err()
		}
		if err != nil {
			return fmt.Errorf("storage: refresh due time of block %s: %w", id, err)
		}
		again, againDue, err := r.dueOf(ctx, id)
		if err != nil {
			return err
		}
		if again == version {
			return nil
		}
		version, due = again, againDue
	}
	return fmt.Errorf("%w: refreshing the due time of block %s", ErrConflict, id)
}

// dueOf returns the block's version and NextDue, or 0 and zero if there is
// no such block.
func (r *Redis) dueOf(ctx context.Context, id string) (int64, time.Time, error) {
	b, err := r.Block(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return 0, time.Time{}, nil
	}
	if err != nil {
		return 0, time.Time{}, err
	}
	return b.Version, b.NextDue(), nil
}

// lowerDue lowers block id's entry in the due index to due, or adds it,
// through c (the client, or a transaction's pipeline, where the error comes
// with EXEC); it never raises an entry. A zero due does nothing.
func (r *Redis) lowerDue(ctx context.Context, c redis.Cmdable, id string, due time.Time) error {
	if due.IsZero() {
		return nil
	}
	if err := c.ZAddLT(ctx, r.dueKey(), redis.Z{Score: dueScore(due), Member: id}).Err(); err != nil {
		return fmt.Errorf("due index: %w", err)
	}
	return nil
}

// dueScore is the due index's score of a time: Unix seconds rounded down,
// so that an entry is never later than the time it stands for.
func dueScore(t time.Time) float64 { return float64(t.Unix()) }

// Claim takes the claim named key for ttl with SET NX and reports whether
// this call took it. It returns an error if ttl is not positive.
func (r *Redis) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	if ttl <= 0 {
		return false, fmt.Errorf("storage: claim %s: ttl %v is not positive", key, ttl)
	}
	won, err := r.client.SetNX(ctx, r.claimKey(key), 1, ttl).Result()
	if err != nil {
		return false, fmt.Errorf("storage: claim %s: %w", key, err)
	}
	return won, nil
}

// Ping checks that Redis answers.
func (r *Redis) Ping(ctx context.Context) error {
	if err := r.client.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("storage: ping redis: %w", err)
	}
	return nil
}

// Close closes the Redis client.
func (r *Redis) Close() error {
	return r.client.Close()
}

// listValues converts encoded list entries to command arguments.
func listValues(entries [][]byte) []any {
	v := make([]any, len(entries))
	for i, e := range entries {
		v[i] = e
	}
	return v
}

// backoff returns how long to wait before attempt+1 after attempt lost a race:
// a random duration up to conflictBackoffMin doubled per attempt, capped at
// conflictBackoffMax.
func backoff(attempt int) time.Duration {
	ceiling := conflictBackoffMax
	if attempt < 16 {
		ceiling = min(conflictBackoffMin<<attempt, conflictBackoffMax)
	}
	return rand.N(ceiling) + 1
}

// sleep waits for d or until ctx is done, and then returns ctx's error.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
