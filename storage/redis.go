package storage

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"thiduabot/thidua"
)

// DefaultRedisPrefix is the key prefix NewRedis uses when given none.
const DefaultRedisPrefix = "thidua:"

// CallTimeout bounds every call of a Redis store, so that while Redis is
// unreachable a request fails within seconds (and the user is told the
// change was not saved) rather than holding its chat up through the
// client's retries.
const CallTimeout = 5 * time.Second

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
//	P{b:ID}:doc              hash: the block's JSON document by part (see below)
//	P{b:ID}:log              list: the block's history, one JSON event per entry, oldest first
//	Pchat:CHAT               string: the id of the block bound to the chat
//	Pupd:SCOPE:UPDATE        string with a TTL: the update has been handled
//	Pdm:USER                 string: the user has started the bot in private
//	Pdue                     sorted set: block ids scored by due time (Unix seconds, rounded down)
//	Pclaim:KEY               string with a TTL: a claim (see Claim)
//	P{b:ID}:notes            hash: what the bot's messages in the block's chat are about, by message id (see NoteMessage)
//	P{b:ID}:year:YEAR        hash: a copy of the block's document as it stood at the end of the year (see ArchiveYear)
//
// A block's document is a hash: "version", the block's version; "core", the
// JSON of the block without its parts (thidua.Part), schema and version
// included; one field per part that is not empty, named as the part's field
// in the JSON of a block ("schedule", "registration", "elections",
// "results", "report_messages"); and one field per report,
// "report:UNIT:PERIOD" (unit and period ids), the JSON object of the
// report, which the results part leaves out (see encoding). A replica
// reading the fields puts the reports in the order of their keys, which is
// the order a block keeps them in (thidua.Results.Reports), so that it
// reads the block as the writer caches it. Earlier documents were the
// block's JSON as a string, which the store turns into the hash the first
// time it meets it (see convert); a hash whose results part held every
// report (schema 2 and before), which the next change of the document
// converts whole; or a hash with one field per unit, "reports:UNIT", the
// JSON array of the unit's reports (schema 3), which the next change of
// one of the unit's reports converts, writing each of them in its own
// field and deleting the unit's in the same script call, or a change that
// stages the whole document (see write) converts with the others. The
// schema in the core, 4 since reports have fields of their own, makes a
// release of an earlier schema refuse the document (thidua.Block.Migrate)
// rather than read it without those reports and drop them on its next
// change.
//
// The {b:ID} hash tag keeps a block's document and history on one Cluster slot,
// so that they are written in one transaction. The prefix should contain no
// '{': a hash tag in it would put every key on one slot.
//
// Reads and writes of a block cost one round trip each. The process keeps
// the blocks it used last decoded (see blockCache) and the chats' bindings
// (a binding changes only when a group migrates), so a read fetches only the
// document's version, and fetches and decodes the whole document only if
// another process wrote it since (a second round trip). A write runs a
// script that sets the core and what the change altered of the parts it
// declared (see UpdateParts), appends the history and lowers the due index only if the
// stored version is still the one the change started from, and otherwise
// returns the stored document to start over from: optimistic concurrency, as
// WATCH/MULTI would give, in one round trip, which carries only what
// changed: the version, the core, the parts whose encoding changed, the
// reports that changed (a report: its own field alone) and the history.
//
// The due index is kept never later than the truth. Writes only ever lower
// an entry (ZADD LT): on a single node or Sentinel in the block's write
// script, at no extra cost; on a Cluster, where the index lives on another
// slot than the block, before the write and again after it, when the write
// brings the block's NextDue forward. Only RefreshDue, which the scheduler
// calls after running a block, raises or removes an entry, checking that the
// block did not change meanwhile. An entry left too early (a deadline
// deleted, a crash between steps) costs the scheduler one look at the block.
type Redis struct {
	client redis.UniversalClient
	prefix string
	// crossSlot is true when one transaction cannot write both a block and
	// the due index (a Cluster or a Ring).
	crossSlot bool

	blocks *blockCache
	// writers queues the writers of a block in this process (see
	// UpdateParts).
	writers writers
	// timeout bounds each call (CallTimeout).
	timeout time.Duration

	chatsMu sync.RWMutex
	chats   map[int64]string // chat id -> block id, as read or written here

	// report, when not nil, receives what the checks of EnableChecks find.
	report func(error)

	// notes holds the notes of the bot's messages waiting to be written
	// (see NoteMessage), log where failures to write them are told.
	notes noteQueue
	log   *slog.Logger
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
	r := &Redis{client: client, prefix: prefix, crossSlot: !single,
		blocks: newBlockCache(blockCacheBytes), chats: map[int64]string{}, timeout: CallTimeout}
	r.notes.delay = noteDelay
	return r
}

// bound returns ctx limited to the store's call timeout.
func (r *Redis) bound(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, r.timeout)
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

// urlFault returns why url.Parse refused rawURL, a Redis URL, quoting no
// part of its user and password: reason, url.Parse's, may quote a piece of
// a password cut off by a character it should have had percent-encoded
// (the "port" before a /, say). The URL is read again with a user part of
// its own: if that is read, the user part was at fault (errUserinfo);
// otherwise what is wrong with the rest is the reason.
func urlFault(rawURL string, reason error) error {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	at := strings.LastIndex(rest, "@")
	if !ok || at < 0 {
		return reason
	}
	_, err := redis.ParseURL(scheme + "://user@" + rest[at+1:])
	var ue *url.Error
	switch {
	case err == nil:
		return errUserinfo
	case errors.As(err, &ue):
		return ue.Err
	}
	return err
}

// errUserinfo is the reason ParseRedisURL gives for a URL whose user part
// cannot be read, rather than one quoting a piece of it.
var errUserinfo = errors.New("the user and password before @ cannot be read: percent-encode the characters of the password other than letters, digits and - . _ ~ (/ as %2F, # as %23, ? as %3F, % as %25, @ as %40, a space as %20)")

// ParseRedisURL reads a redis:// or rediss:// URL, such as
// redis://user:password@host:6379/0?dial_timeout=3s, into options for
// redis.NewUniversalClient, with ContextTimeoutEnabled set. The URL names
// one server: a list of servers (Sentinel's, Cluster's) is refused. It
// returns an error, which never contains the URL's password, if the URL
// cannot be read.
func ParseRedisURL(rawURL string) (*redis.UniversalOptions, error) {
	o, err := redis.ParseURL(rawURL)
	switch {
	case err != nil:
	case o.DB < 0:
		// The client would not select it, and use database 0.
		err = fmt.Errorf("database %d is not a number from 0", o.DB)
	case strings.Contains(o.Addr, ","):
		// A list of Sentinel's or Cluster's servers, which the client
		// would try to reach as one host named as the list.
		err = errors.New("one Redis server only, host:port: Sentinel and Cluster are not supported")
	}
	if err != nil {
		// A *url.Error quotes the whole URL, password included.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = urlFault(rawURL, ue.Err)
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

// yearKey is the copy of block id's document that ArchiveYear keeps for
// the year, in the slot of its document.
func (r *Redis) yearKey(id string, year int) string {
	return r.prefix + "{b:" + id + "}:year:" + strconv.Itoa(year)
}

func (r *Redis) chatKey(chatID int64) string {
	return r.prefix + "chat:" + strconv.FormatInt(chatID, 10)
}

func (r *Redis) updateKey(scope, updateID int64) string {
	return r.prefix + "upd:" + strconv.FormatInt(scope, 10) + ":" + strconv.FormatInt(updateID, 10)
}

func (r *Redis) dmKey(userID int64) string {
	return r.prefix + "dm:" + strconv.FormatInt(userID, 10)
}

// notesKey is the hash of block id's message notes (see NoteMessage), in
// the slot of its document.
func (r *Redis) notesKey(id string) string { return r.prefix + "{b:" + id + "}:notes" }

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
	ctx, cancel := r.bound(ctx)
	defer cancel()
	c, events, err := newDocument(b)
	if err != nil {
		return err
	}
	enc, _, err := encodeBlock(&c, nil, thidua.AllParts, nil)
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
			p.HSet(ctx, docKey, enc.all(c.Version)...)
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
	r.bind(c.ChatID, c.ID)
	// The entry was lowered before the write; this repeats it in case
	// RefreshDue raised it meanwhile. Failing here leaves the block written.
	_ = r.lowerDue(ctx, r.client, c.ID, due)
	return nil
}

// Block returns the block with this id. It returns ErrNotFound if there is
// none.
func (r *Redis) Block(ctx context.Context, id string) (*thidua.Block, error) {
	ctx, cancel := r.bound(ctx)
	defer cancel()
	read := r.queueRead(ctx, r.client, id)
	return read.block()
}

// BlockByChat returns the block bound to the chat. It returns ErrNotFound if
// the chat is bound to no block.
func (r *Redis) BlockByChat(ctx context.Context, chatID int64) (*thidua.Block, error) {
	b, _, err := r.blockOfChat(ctx, chatID, nil)
	if err == nil && b == nil {
		err = notFound("chat %d", chatID)
	}
	return b, err
}

// BlockForUpdate returns the block bound to the chat (nil if none) and
// whether the update was marked handled: one pipeline that reads the head of
// the block's document and checks the update's mark (EXISTS), once this
// process knows the chat's binding and has the block cached at its stored
// version; one more round trip to read the binding, or the document, when
// not.
func (r *Redis) BlockForUpdate(ctx context.Context, chatID, scope, updateID int64) (*thidua.Block, bool, error) {
	return r.blockOfChat(ctx, chatID, &updateRef{scope, updateID})
}

// CachedBlockByChat returns the block this process last read or wrote for
// the chat from its cache, without a round trip, or nil.
func (r *Redis) CachedBlockByChat(chatID int64) *thidua.Block {
	id, ok := r.boundTo(chatID)
	if !ok {
		return nil
	}
	cb := r.cached(id)
	if cb == nil || cb.block.ChatID != chatID {
		return nil
	}
	return shallow(cb.block)
}

// blockOfChat reads the block bound to the chat, nil if none, and when u is
// not nil whether u was marked handled, in the same round trip. A binding
// learnt earlier is used without asking Redis; if its block turns out to be
// gone or bound to another chat (the group migrated, moved by another
// process), the binding is read again.
func (r *Redis) blockOfChat(ctx context.Context, chatID int64, u *updateRef) (*thidua.Block, bool, error) {
	ctx, cancel := r.bound(ctx)
	defer cancel()
	for range 2 {
		id, known := r.boundTo(chatID)
		var (
			read    blockRead
			bind    *redis.StringCmd
			handled *redis.IntCmd
		)
		_, err := r.client.Pipelined(ctx, func(p redis.Pipeliner) error {
			if known {
				read = r.queueRead(ctx, p, id)
			} else {
				bind = p.Get(ctx, r.chatKey(chatID))
			}
			if u != nil {
				handled = p.Exists(ctx, r.updateKey(u.scope, u.id))
			}
			return nil
		})
		if err != nil && !errors.Is(err, redis.Nil) && !isLegacy(err) {
			return nil, false, fmt.Errorf("storage: read chat %d: %w", chatID, err)
		}
		seen := handled != nil && handled.Val() > 0
		if !known {
			id, err = bind.Result()
			if errors.Is(err, redis.Nil) {
				return nil, seen, nil
			}
			if err != nil {
				return nil, false, fmt.Errorf("storage: read chat %d: %w", chatID, err)
			}
			r.bind(chatID, id)
			read = r.queueRead(ctx, r.client, id)
		}
		b, err := read.block()
		switch {
		case err == nil && b.ChatID == chatID:
			return b, seen, nil
		case err != nil && !errors.Is(err, ErrNotFound):
			return nil, false, err
		case !known:
			// Bound to a block that is gone or names another chat: a
			// binding being moved, or a document left unreachable.
			return nil, seen, nil
		}
		r.unbind(chatID)
	}
	return nil, false, nil
}

// boundTo returns the block id this process knows the chat is bound to.
func (r *Redis) boundTo(chatID int64) (string, bool) {
	r.chatsMu.RLock()
	defer r.chatsMu.RUnlock()
	id, ok := r.chats[chatID]
	return id, ok
}

// bind remembers that the chat is bound to block id.
func (r *Redis) bind(chatID int64, id string) {
	r.chatsMu.Lock()
	r.chats[chatID] = id
	r.chatsMu.Unlock()
}

// unbind forgets what this process knew of the chat's binding.
func (r *Redis) unbind(chatID int64) {
	r.chatsMu.Lock()
	delete(r.chats, chatID)
	r.chatsMu.Unlock()
}

// writeScript writes a change of a block if its document KEYS[1] has version
// ARGV[1]: with ARGV[4] "staged", by renaming the whole new document, staged
// as the hash KEYS[3], into place; else by setting the ARGV[4] fields that
// follow (its version among them), with their values, and deleting the
// fields whose number follows them and which follow it. It appends the
// rest of ARGV to the history KEYS[2] and lowers block ARGV[3]'s entry in
// the due index KEYS[4] (if given) to ARGV[2] (if not empty). It returns
// {1} once written, {0, the stored document's fields and values} if the
// version differs, {-1} if there is no document, {-2} if the document is
// not a hash (see convert) and {-3}, before anything else, if the update
// mark KEYS[5] (if given; see UnlessHandled) exists; but for {1}, it
// deletes the staged document.
var writeScript = redis.NewScript(`
if KEYS[5] and redis.call("EXISTS", KEYS[5]) == 1 then
	redis.call("DEL", KEYS[3])
	return {-3}
end
local version = redis.pcall("HGET", KEYS[1], "version")
if type(version) == "table" then
	redis.call("DEL", KEYS[3])
	return {-2}
end
if version ~= ARGV[1] then
	redis.call("DEL", KEYS[3])
	if not version then
		return {-1}
	end
	return {0, redis.call("HGETALL", KEYS[1])}
end
local i
if ARGV[4] == "staged" then
	redis.call("RENAME", KEYS[3], KEYS[1])
	redis.call("PERSIST", KEYS[1])
	i = 5
else
	local n = tonumber(ARGV[4])
	redis.call("HSET", KEYS[1], unpack(ARGV, 5, 4 + 2 * n))
	i = 5 + 2 * n
	local m = tonumber(ARGV[i])
	if m > 0 then
		redis.call("HDEL", KEYS[1], unpack(ARGV, i + 1, i + m))
	end
	i = i + m + 1
end
for j = i, #ARGV, 100 do
	redis.call("RPUSH", KEYS[2], unpack(ARGV, j, math.min(j + 99, #ARGV)))
end
if KEYS[4] and ARGV[2] ~= "" then
	redis.call("ZADD", KEYS[4], "LT", ARGV[2], ARGV[3])
end
return {1}`)

// stagedTTL is how long a document staged for writeScript lives if the
// script never runs (the connection broke in between).
const stagedTTL = time.Minute

// write writes change c of block id, made from version base, in one round
// trip (writeScript): the version, the core and the fields of enc that the
// change d sets or deletes (see encodeBlock and encoding.changes), which
// leave out what the change did not alter: a report sends its own field,
// not the results part nor the unit's other reports. Redis copies a
// script's arguments into Lua, which costs it about four times what
// storing the same bytes costs; so when what changed is more than a
// quarter of the document, write stages the whole new document (every
// report in its own field) as a hash of its own on the block's slot, in
// the same pipeline, and the script renames it into place, which drops
// the fields of earlier layouts: write then notes in enc, which the caller
// caches, that none is left. It returns writeScript's reply.
func (r *Redis) write(ctx context.Context, id string, base int64, c change, enc *encoding, d delta) ([]any, error) {
	staged := r.prefix + "{b:" + id + "}:w:" + strconv.FormatUint(rand.Uint64(), 36)
	keys := []string{r.docKey(id), r.logKey(id), staged}
	if !r.crossSlot {
		keys = append(keys, r.dueKey())
		if u, ok := unlessHandled(ctx); ok {
			keys = append(keys, r.updateKey(u.scope, u.id))
		}
	}
	changing := len(enc.core)
	for i, p := range enc.parts {
		if d.parts&(1<<i) != 0 {
			changing += len(p)
		}
	}
	for _, k := range d.reports {
		rep, _ := enc.reports.get(k)
		changing += len(rep)
	}
	stage := 4*changing > enc.size()
	args := make([]any, 0, 9+2*len(enc.parts)+2*len(d.reports)+len(d.earlier)+len(c.events))
	args = append(args, strconv.FormatInt(base, 10), "", id)
	if !c.due.IsZero() {
		args[1] = strconv.FormatInt(int64(dueScore(c.due)), 10)
	}
	if stage {
		args = append(args, "staged")
		// The whole document is written in this release's layout. enc is
		// the change's own encoding, which is cached only once the write
		// succeeds.
		enc.unitFields = nil
	} else {
		set, del := enc.changes(c.block.Version, d)
		args = append(append(append(append(args, len(set)/2), set...), len(del)), del...)
	}
	for _, e := range c.events {
		args = append(args, e)
	}
	var (
		reply *redis.Cmd
		err   error
	)
	if stage {
		_, err = r.client.Pipelined(ctx, func(p redis.Pipeliner) error {
			p.HSet(ctx, staged, enc.all(c.block.Version)...)
			p.PExpire(ctx, staged, stagedTTL)
			reply = writeScript.EvalSha(ctx, p, keys, args...)
			return nil
		})
	} else {
		// The script alone, as a command rather than a pipeline of one,
		// which costs the client some nine allocations and a microsecond
		// more: a report, a ballot, most changes write so.
		reply = writeScript.EvalSha(ctx, r.client, keys, args...)
		err = reply.Err()
	}
	if redis.HasErrorPrefix(err, "NOSCRIPT") {
		// Redis restarted since the script was last loaded: EVAL loads it.
		reply = writeScript.Eval(ctx, r.client, keys, args...)
		err = reply.Err()
	}
	if err != nil {
		return nil, err
	}
	return reply.Slice()
}

// blockRead is a read of a block queued in a pipeline (or run): first its
// document's version.
type blockRead struct {
	r       *Redis
	ctx     context.Context
	id      string
	version *redis.StringCmd
}

// queueRead reads the version of block id's document through c, or queues
// the read when c is a pipeline.
func (r *Redis) queueRead(ctx context.Context, c redis.Cmdable, id string) blockRead {
	return blockRead{r: r, ctx: ctx, id: id, version: c.HGet(ctx, r.docKey(id), "version")}
}

// isLegacy reports whether err says that a block's document is not a hash:
// a document of an earlier release (see convert).
func isLegacy(err error) bool { return redis.HasErrorPrefix(err, "WRONGTYPE") }

// block returns the block the read found (see entry), which the caller
// must not modify: a copy of the cached one's top level, sharing the rest.
func (br blockRead) block() (*thidua.Block, error) {
	cb, err := br.entry()
	if err != nil {
		return nil, err
	}
	return shallow(cb.block), nil
}

// shallow returns a copy of b's top level, so that the caller's assignments
// to its fields do not reach the cache; everything below is shared.
func shallow(b *thidua.Block) *thidua.Block {
	c := *b
	return &c
}

// entry returns the cached block the read found: the one cached if the
// stored version is still its version, else the document, read in a second
// round trip, decoded and cached. The caller must not modify it. It returns
// ErrNotFound if there is none.
func (br blockRead) entry() (*cachedBlock, error) {
	version, err := br.version.Result()
	switch {
	case errors.Is(err, redis.Nil):
		br.r.blocks.drop(br.id)
		return nil, notFound("block %s", br.id)
	case isLegacy(err):
		return br.r.convert(br.ctx, br.id)
	case err != nil:
		return nil, fmt.Errorf("storage: read block %s: %w", br.id, err)
	}
	cached := br.r.cached(br.id)
	if cached != nil && strconv.FormatInt(cached.block.Version, 10) == version {
		return cached, nil
	}
	fields, err := br.r.client.HGetAll(br.ctx, br.r.docKey(br.id)).Result()
	if err != nil {
		return nil, fmt.Errorf("storage: read block %s: %w", br.id, err)
	}
	return br.r.decode(br.id, fields)
}

// decode decodes block id's document from its fields, as read from Redis,
// and caches it. It returns ErrNotFound if there are none.
func (r *Redis) decode(id string, fields map[string]string) (*cachedBlock, error) {
	b, enc, err := decodeFields(id, fields)
	if errors.Is(err, ErrNotFound) {
		r.blocks.drop(id)
	}
	if err != nil {
		return nil, err
	}
	cb := &cachedBlock{block: b, size: enc.size(), enc: enc}
	r.cache(cb)
	return cb, nil
}

// fieldMap turns the flat list of fields and values a script returns from
// HGETALL into a map.
func fieldMap(reply any) map[string]string {
	list, _ := reply.([]any)
	fields := make(map[string]string, len(list)/2)
	for i := 0; i+1 < len(list); i += 2 {
		k, _ := list[i].(string)
		v, _ := list[i+1].(string)
		fields[k] = v
	}
	return fields
}

// convert turns block id's document from the string of an earlier release,
// the block's JSON, into the hash of this one (see the type's comment), if
// it is still the string read, so as not to overwrite a change made
// meanwhile (should there be one, it starts over), and returns the block.
func (r *Redis) convert(ctx context.Context, id string) (*cachedBlock, error) {
	for range conflictAttempts {
		doc, err := r.client.Get(ctx, r.docKey(id)).Result()
		switch {
		case errors.Is(err, redis.Nil):
			return nil, notFound("block %s", id)
		case redis.HasErrorPrefix(err, "WRONGTYPE"): // converted meanwhile
			return r.queueRead(ctx, r.client, id).entry()
		case err != nil:
			return nil, fmt.Errorf("storage: read block %s: %w", id, err)
		}
		b, err := decodeBlock(id, []byte(doc))
		if err != nil {
			return nil, err
		}
		enc, _, err := encodeBlock(b, nil, thidua.AllParts, nil)
		if err != nil {
			return nil, err
		}
		done, err := convertScript.Run(ctx, r.client, []string{r.docKey(id)},
			append([]any{doc}, enc.all(b.Version)...)...).Int()
		if err != nil {
			return nil, fmt.Errorf("storage: convert block %s: %w", id, err)
		}
		if done == 1 {
			cb := &cachedBlock{block: b, size: enc.size(), enc: enc}
			r.cache(cb)
			return cb, nil
		}
	}
	return nil, fmt.Errorf("%w: converting block %s", ErrConflict, id)
}

// convertScript replaces the string KEYS[1], if it is one and still ARGV[1],
// by a hash of the fields and values in the rest of ARGV. It returns 1 once
// done, else 0.
var convertScript = redis.NewScript(`
if redis.call("TYPE", KEYS[1]).ok ~= "string" or redis.call("GET", KEYS[1]) ~= ARGV[1] then
	return 0
end
redis.call("DEL", KEYS[1])
redis.call("HSET", KEYS[1], unpack(ARGV, 2))
return 1`)

// cached returns the cached block with this id, or nil. With checks on, it
// first makes sure that nobody modified it since it was cached.
func (r *Redis) cached(id string) *cachedBlock {
	cb := r.blocks.get(id)
	if cb == nil || r.report == nil {
		return cb
	}
	if doc, err := marshalBlock(cb.block); err != nil || !bytes.Equal(doc, cb.doc) {
		r.report(fmt.Errorf("storage: block %s (version %d) was modified in the cache, where it is shared and read-only", id, cb.block.Version))
		r.blocks.drop(id)
		return nil
	}
	return cb
}

// cache caches cb (see blockCache.put); with checks on, with its document,
// so that cached can tell whether the block was modified.
func (r *Redis) cache(cb *cachedBlock) {
	if r.report != nil {
		cb.doc, _ = marshalBlock(cb.block)
	}
	r.blocks.put(cb)
}

// EnableChecks turns on checks, for tests, that cost what the store saves
// otherwise: that nobody modifies a block the store returned or shares
// with its cache (compared with its document whenever the cache is used),
// that the fn of UpdateParts changes only the parts it declares, and that
// a change taken to keep the block's due time keeps it (see nextDue). What
// they find goes to report, and the change concerned is refused or the
// cached block dropped.
func (r *Redis) EnableChecks(report func(error)) { r.report = report }

// Update reads the block, calls fn on it and writes it back with its version
// bumped, appending the events fn recorded to its history, with the write
// script: one round trip when the block is cached and current, which it is
// when this process read or wrote it last. The writers of a block in this
// process take turns (see writers), each starting from what the one before
// it wrote; the wait for a turn counts in the call's timeout (CallTimeout),
// so a writer queued behind a slow one can fail with the context's error,
// having changed nothing. If a writer in another process changed the document in
// between, the script returns it and Update starts over from it, calling
// fn again on the fresh block, waiting a little from the second time on;
// after too many attempts it returns ErrConflict. If fn returns an
// error nothing is written and that error is returned unchanged. It returns
// the block as written, or ErrNotFound if there is none.
//
// A Redis error other than a lost race ends Update at once: it may have come
// after the write was applied, so Update does not repeat it. Callers that retry
// such errors should make fn idempotent (see thidua.Block.MarkApplied).
//
// The block's entry in the due index is lowered to the written NextDue in the
// same script, or on a Cluster before and after it when the change brings
// the block's work forward (see the type's comment).
func (r *Redis) Update(ctx context.Context, id string, fn func(*thidua.Block) error) (*thidua.Block, error) {
	return r.UpdateParts(ctx, id, thidua.AllParts, fn)
}

// UpdateParts is Update for an fn that changes only the block's core and
// the parts in changed: fn gets copies of those and shares the others with
// the cache, and only they are encoded again (of the reports, only those
// fn changed: thidua.Block.TakeChangedReports). Of what is encoded again,
// only what differs from the cached encoding is sent to Redis (a report
// sends its own field, not the results part), unless it is most of the
// document (see write), which is then staged whole with the cached
// encodings of the rest. The block's due time
// is computed again only when the change may have moved it (see nextDue).
func (r *Redis) UpdateParts(ctx context.Context, id string, changed thidua.Part, fn func(*thidua.Block) error) (*thidua.Block, error) {
	ctx, cancel := r.bound(ctx)
	defer cancel()
	if u, ok := unlessHandled(ctx); ok && r.crossSlot {
		// The mark lies in another slot than the block: read it first.
		handled, err := r.UpdateHandled(ctx, u.scope, u.id)
		if err != nil {
			return nil, fmt.Errorf("storage: update block %s: %w", id, err)
		}
		if handled {
			return nil, ErrHandled
		}
	}
	turn, err := r.writers.wait(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("storage: update block %s: %w", id, err)
	}
	defer r.writers.done(id, turn)
	base := r.cached(id)
	start := time.Now()
	for attempt := 1; ; attempt++ {
		if base == nil {
			var err error
			if base, err = r.queueRead(ctx, r.client, id).entry(); err != nil {
				return nil, err
			}
		}
		var before *encoding
		if r.report != nil {
			before, _, _ = encodeBlock(base.block, nil, thidua.AllParts, nil)
		}
		c, err := modify(id, working(base.block, changed), fn)
		if err != nil {
			return nil, err
		}
		enc, d, err := encodeBlock(c.block, base.enc, changed, c.reports)
		if err == nil && r.report != nil {
			err = r.checkParts(c, changed, before, enc, d)
		}
		if err == nil {
			c.due, err = r.nextDue(base, c.block, changed)
		}
		if err != nil {
			return nil, err
		}
		// Only a Cluster needs to know whether the change brought the
		// block's work forward: elsewhere the script lowers the entry.
		lower := r.crossSlot && c.earlier(base.nextDue())
		if lower {
			if err := r.lowerDue(ctx, r.client, id, c.due); err != nil {
				return nil, fmt.Errorf("storage: update block %s: %w", id, err)
			}
		}
		reply, err := r.write(ctx, id, base.block.Version, c, enc, d)
		if err != nil {
			return nil, fmt.Errorf("storage: update block %s: %w", id, err)
		}
		switch status, _ := reply[0].(int64); status {
		case 1:
			written, due := &cachedBlock{block: c.block, size: enc.size(), enc: enc}, c.due
			written.due.Store(&due)
			r.cache(written)
			if lower {
				// Failing here leaves the block written; see the type's comment.
				_ = r.lowerDue(ctx, r.client, id, c.due)
			}
			return shallow(c.block), nil
		case -1:
			r.blocks.drop(id)
			return nil, notFound("block %s", id)
		case -3:
			return nil, ErrHandled
		case 0:
			if base, err = r.decode(id, fieldMap(reply[1])); err != nil {
				return nil, err
			}
		default: // a document of an earlier release, written meanwhile
			if base, err = r.convert(ctx, id); err != nil {
				return nil, err
			}
		}
		if attempt >= conflictAttempts || time.Since(start) >= conflictBudget {
			return nil, fmt.Errorf("%w: block %s, %d attempts in %v", ErrConflict, id, attempt, time.Since(start).Round(time.Millisecond))
		}
		if attempt > 1 {
			// The first retry follows a change made elsewhere since this
			// process last saw the block; later ones are a race: back off.
			if err := sleep(ctx, backoff(attempt-1)); err != nil {
				return nil, fmt.Errorf("storage: update block %s: %w", id, err)
			}
		}
	}
}

// checkParts reports, with checks on, an update that changed a part it did
// not declare, or reports it did not note (thidua.Block.TakeChangedReports):
// their encoding in c's block differs from before, the encoding of the
// block it was changed from. It reports too an encoding of c's block, enc,
// that would write, by the change d, a field that is not what the block
// encodes to on its own: the encoders' reuse of what the encoding of the
// block changed from held (a part left as it was, the record of applied
// updates in the core) gone wrong.
func (r *Redis) checkParts(c change, changed thidua.Part, before, enc *encoding, d delta) error {
	after, _, err := encodeBlock(c.block, nil, thidua.AllParts, nil)
	if err != nil {
		return err
	}
	var spoilt []string
	if !bytes.Equal(enc.core, after.core) {
		spoilt = append(spoilt, "core")
	}
	for i := range enc.parts {
		if d.parts&(1<<i) != 0 && !bytes.Equal(enc.parts[i], after.parts[i]) {
			spoilt = append(spoilt, partNames[i])
		}
	}
	for _, k := range d.reports {
		e, ok := enc.reports.get(k)
		if is, _ := after.reports.get(k); ok && !bytes.Equal(e, is) {
			spoilt = append(spoilt, reportField(k))
		}
	}
	if spoilt != nil {
		err := fmt.Errorf("storage: an update of block %s would write %s encoded otherwise than the block encodes", c.block.ID, strings.Join(spoilt, ", "))
		r.report(err)
		return err
	}
	var wrong []string
	for i := range before.parts {
		if changed&(1<<i) == 0 && !bytes.Equal(before.parts[i], after.parts[i]) {
			wrong = append(wrong, partNames[i])
		}
	}
	keys := slices.Clone(before.reports.keys)
	for _, k := range after.reports.keys {
		if _, ok := before.reports.find(k); !ok {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, thidua.ReportKey.Compare)
	for _, k := range keys {
		noted := changed&thidua.PartResults != 0 && slices.Contains(c.reports, k)
		was, _ := before.reports.get(k)
		is, _ := after.reports.get(k)
		if !noted && !bytes.Equal(was, is) {
			wrong = append(wrong, reportField(k))
		}
	}
	if wrong != nil {
		err := fmt.Errorf("storage: an update of block %s declared the parts %05b and the reports %v but changed %s", c.block.ID, changed, c.reports, strings.Join(wrong, ", "))
		r.report(err)
		return err
	}
	return nil
}

// nextDue returns the NextDue of b, changed from the cached block base in
// its core and the parts in changed: base's, known or computed once per
// cached block, when the change cannot have moved it
// (thidua.Block.KeepsDue), as with a report or a ballot, and otherwise
// computed anew. With checks on, it computes it anyway, and reports and
// refuses a change that moved it all the same.
func (r *Redis) nextDue(base *cachedBlock, b *thidua.Block, changed thidua.Part) (time.Time, error) {
	if !b.KeepsDue(base.block, changed) {
		return b.NextDue(), nil
	}
	due := base.nextDue()
	if r.report != nil {
		if computed := b.NextDue(); !computed.Equal(due) {
			err := fmt.Errorf("storage: an update of block %s, of the parts %05b, moved its due time from %v to %v, which thidua.Block.KeepsDue says it cannot", b.ID, changed, due, computed)
			r.report(err)
			return time.Time{}, err
		}
	}
	return due, nil
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
	ctx, cancel := r.bound(ctx)
	defer cancel()
	id, err := r.client.Get(ctx, r.chatKey(oldChat)).Result()
	if errors.Is(err, redis.Nil) {
		n, err := r.client.Exists(ctx, r.chatKey(newChat)).Result()
		if err != nil {
			return fmt.Errorf("storage: move chat %d: %w", oldChat, err)
		}
		if n == 0 {
			return notFound("chat %d", oldChat)
		}
		r.unbind(oldChat)
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
	// Message ids start again in the new chat: the old chat's notes would
	// be taken for its messages.
	if err := r.dropNotes(ctx, id); err != nil {
		return fmt.Errorf("storage: move chat %d to %d: drop the notes: %w", oldChat, newChat, err)
	}
	if err := unbindScript.Run(ctx, r.client, []string{r.chatKey(oldChat)}, id).Err(); err != nil {
		return fmt.Errorf("storage: move chat %d to %d: unbind: %w", oldChat, newChat, err)
	}
	r.unbind(oldChat)
	r.bind(newChat, id)
	return nil
}

// unbindScript deletes KEYS[1] if it holds ARGV[1].
var unbindScript = redis.NewScript(`
if redis.call("GET", KEYS[1]) == ARGV[1] then
	return redis.call("DEL", KEYS[1])
end
return 0`)

// ArchiveYear copies block id's document, if it is at version, to a key of
// its own on the block's slot (see the type's comment), replacing an
// earlier copy, in one round trip (archiveScript). A document of an earlier
// release is converted first, as a read converts it, and the copy tried
// again. It returns ErrConflict if the block is at another version and
// ErrNotFound if there is no such block.
func (r *Redis) ArchiveYear(ctx context.Context, id string, year int, version int64) error {
	ctx, cancel := r.bound(ctx)
	defer cancel()
	keys := []string{r.docKey(id), r.yearKey(id, year)}
	for converted := false; ; converted = true {
		status, err := archiveScript.Run(ctx, r.client, keys, strconv.FormatInt(version, 10)).Int()
		if err != nil {
			return fmt.Errorf("storage: archive year %d of block %s: %w", year, id, err)
		}
		switch status {
		case 1:
			return nil
		case 0:
			return fmt.Errorf("%w: block %s is not at version %d", ErrConflict, id, version)
		case -1:
			return notFound("block %s", id)
		}
		if converted {
			return fmt.Errorf("storage: archive year %d of block %s: the document is still not a hash", year, id)
		}
		if _, err := r.convert(ctx, id); err != nil {
			return err
		}
	}
}

// archiveScript copies the document KEYS[1] to KEYS[2], replacing it, if
// the document has version ARGV[1]. It returns 1 once done, 0 if the
// version differs, -1 if there is no document and -2 if the document is
// not a hash (see Redis.convert).
var archiveScript = redis.NewScript(`
local version = redis.pcall("HGET", KEYS[1], "version")
if type(version) == "table" then
	return -2
end
if not version then
	return -1
end
if version ~= ARGV[1] then
	return 0
end
redis.call("COPY", KEYS[1], KEYS[2], "REPLACE")
return 1`)

// ArchivedYear reads the copy of block id that ArchiveYear kept for the
// year with HGETALL and decodes it as a read decodes a document, leaving
// the cache, which holds current blocks, alone. It returns ErrNotFound if
// there is none.
func (r *Redis) ArchivedYear(ctx context.Context, id string, year int) (*thidua.Block, error) {
	ctx, cancel := r.bound(ctx)
	defer cancel()
	fields, err := r.client.HGetAll(ctx, r.yearKey(id, year)).Result()
	if err != nil {
		return nil, fmt.Errorf("storage: read year %d of block %s: %w", year, id, err)
	}
	if len(fields) == 0 {
		return nil, notFound("year %d of block %s", year, id)
	}
	b, _, err := decodeFields(id, fields)
	return b, err
}

// HistoryPage returns up to limit of the events that come before the skip
// most recent ones, oldest first (limit <= 0: all of them), and the
// history's length, read together in one transaction: an LLEN and an
// LRANGE counted from the list's end. It returns ErrNotFound if there is
// no block with this id.
func (r *Redis) HistoryPage(ctx context.Context, id string, skip, limit int) ([]thidua.Event, int, error) {
	ctx, cancel := r.bound(ctx)
	defer cancel()
	skip = max(skip, 0)
	start, stop := int64(0), -int64(skip)-1
	if limit > 0 {
		start = stop - int64(limit) + 1
	}
	var (
		found *redis.IntCmd
		total *redis.IntCmd
		items *redis.StringSliceCmd
	)
	_, err := r.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		found = p.Exists(ctx, r.docKey(id))
		total = p.LLen(ctx, r.logKey(id))
		items = p.LRange(ctx, r.logKey(id), start, stop)
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("storage: read history of block %s: %w", id, err)
	}
	if found.Val() == 0 {
		return nil, 0, notFound("block %s", id)
	}
	events := make([]thidua.Event, len(items.Val()))
	for i, item := range items.Val() {
		if events[i], err = decodeEvent(id, []byte(item)); err != nil {
			return nil, 0, err
		}
	}
	return events, int(total.Val()), nil
}

// UpdateHandled reports whether the update was marked handled by
// MarkUpdateHandled and the mark has not expired.
func (r *Redis) UpdateHandled(ctx context.Context, scope, updateID int64) (bool, error) {
	ctx, cancel := r.bound(ctx)
	defer cancel()
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
	ctx, cancel := r.bound(ctx)
	defer cancel()
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
	ctx, cancel := r.bound(ctx)
	defer cancel()
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
	ctx, cancel := r.bound(ctx)
	defer cancel()
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
	ctx, cancel := r.bound(ctx)
	defer cancel()
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

// RefreshDue sets block id's entry in the due index to the block's NextDue,
// removing it when that is zero or the block does not exist, making sure
// that an entry set from a block read before a concurrent write cannot stay
// later than that write's due time. On a single node or Sentinel a script
// sets the entry only if the block's version is still the one read, and
// otherwise returns the stored document to start over from. On a Cluster,
// where the index lives on another slot, it reads the block, writes the
// entry and reads the block again, starting over if it changed. Starting
// over follows Update's retry policy; it returns ErrConflict if the block
// kept changing for longer.
func (r *Redis) RefreshDue(ctx context.Context, id string) error {
	ctx, cancel := r.bound(ctx)
	defer cancel()
	b, err := r.master(ctx, id)
	if err != nil {
		return err
	}
	start := time.Now()
	for attempt := 1; attempt <= conflictAttempts && time.Since(start) < conflictBudget; attempt++ {
		if attempt > 1 {
			if err := sleep(ctx, backoff(attempt-1)); err != nil {
				return fmt.Errorf("storage: refresh due time of block %s: %w", id, err)
			}
		}
		if r.crossSlot {
			if err := r.setDue(ctx, id, b); err != nil {
				return err
			}
			again, err := r.master(ctx, id)
			if err != nil {
				return err
			}
			if versionOf(again) == versionOf(b) {
				return nil
			}
			b = again
			continue
		}
		var version, score string
		if b != nil {
			version = strconv.FormatInt(b.Version, 10)
			if due := b.NextDue(); !due.IsZero() {
				score = strconv.FormatInt(int64(dueScore(due)), 10)
			}
		}
		reply, err := refreshScript.Run(ctx, r.client, []string{r.docKey(id), r.dueKey()}, version, score, id).Slice()
		if err != nil {
			return fmt.Errorf("storage: refresh due time of block %s: %w", id, err)
		}
		var cb *cachedBlock
		switch status, _ := reply[0].(int64); status {
		case 1:
			return nil
		case 0:
			cb, err = r.decode(id, fieldMap(reply[1]))
		default: // a document of an earlier release
			cb, err = r.convert(ctx, id)
		}
		switch {
		case errors.Is(err, ErrNotFound):
			b = nil
		case err != nil:
			return err
		default:
			b = cb.block
		}
	}
	return fmt.Errorf("%w: refreshing the due time of block %s", ErrConflict, id)
}

// refreshScript sets block ARGV[3]'s entry in the due index KEYS[2] to
// ARGV[2] (removes it if empty) if the document KEYS[1] has version ARGV[1]
// ("" for no document). It returns {1} once done, {0, the stored document's
// fields and values (none if there is none)} if the version differs, and
// {-2} if the document is not a hash (see Redis.convert).
var refreshScript = redis.NewScript(`
local version = redis.pcall("HGET", KEYS[1], "version")
if type(version) == "table" then
	return {-2}
end
if (version or "") ~= ARGV[1] then
	return {0, redis.call("HGETALL", KEYS[1])}
end
if ARGV[2] == "" then
	redis.call("ZREM", KEYS[2], ARGV[3])
else
	redis.call("ZADD", KEYS[2], ARGV[2], ARGV[3])
end
return {1}`)

// setDue sets block id's entry in the due index to b's NextDue, removing it
// when that is zero or b is nil.
func (r *Redis) setDue(ctx context.Context, id string, b *thidua.Block) error {
	var err error
	if b == nil || b.NextDue().IsZero() {
		err = r.client.ZRem(ctx, r.dueKey(), id).Err()
	} else {
		err = r.client.ZAdd(ctx, r.dueKey(), redis.Z{Score: dueScore(b.NextDue()), Member: id}).Err()
	}
	if err != nil {
		return fmt.Errorf("storage: refresh due time of block %s: %w", id, err)
	}
	return nil
}

// versionOf returns b's version, 0 for nil.
func versionOf(b *thidua.Block) int64 {
	if b == nil {
		return 0
	}
	return b.Version
}

// master returns the block as stored, from the cache when current, or nil
// if there is none. The caller must not modify it.
func (r *Redis) master(ctx context.Context, id string) (*thidua.Block, error) {
	cb, err := r.queueRead(ctx, r.client, id).entry()
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return cb.block, nil
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
	ctx, cancel := r.bound(ctx)
	defer cancel()
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
	ctx, cancel := r.bound(ctx)
	defer cancel()
	if err := r.client.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("storage: ping redis: %w", err)
	}
	return nil
}

// RedisRefused reports whether err is Redis refusing the client for good: a
// wrong or missing password, a password given to a Redis 5 or older that has
// none (Redis 6 and later take any password for a default user without one,
// as the client sends it, in HELLO), a user without the rights, a database
// the server does not have. These are settings to change, which no retry
// mends; an error of any other kind (Redis unreachable, loading its data)
// may pass.
func RedisRefused(err error) bool {
	var re redis.Error
	if !errors.As(err, &re) {
		return false
	}
	for _, p := range []string{"WRONGPASS", "NOAUTH", "NOPERM", "ERR invalid password", "ERR Client sent AUTH, but no password is set", "ERR DB index"} {
		if strings.HasPrefix(re.Error(), p) {
			return true
		}
	}
	return false
}

// RedisSchemeWrong reports whether the server at rawURL, a Redis URL (see
// ParseRedisURL) whose PING failed with pingErr, speaks what the other
// scheme names. A server that answered the PING with an error of Redis's
// own (LOADING while it reads its data, say) spoke the URL's scheme, which
// some servers speak with the other on one port: that is never wrong. At
// a rediss:// URL, Redis in plain text (it answers a PING sent without TLS,
// and without the password, with a RESP status or error, as any Redis
// does); at a redis:// URL, TLS (it completes a TLS handshake, closed before
// a word is sent). Either is a setting to change, which no retry mends. Each
// is told apart from a server that does not answer, or answers otherwise,
// by what only such a server does, so that a Redis down or slow is never
// taken for one. It waits for the server at most the URL's dial timeout (5
// seconds unless the URL sets one).
func RedisSchemeWrong(ctx context.Context, rawURL string, pingErr error) bool {
	var answered redis.Error
	if errors.As(pingErr, &answered) {
		return false
	}
	o, err := ParseRedisURL(rawURL)
	if err != nil {
		return false
	}
	timeout := o.DialTimeout
	if timeout <= 0 {
		timeout = 5 * time.Second // the client's own default
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if o.TLSConfig != nil {
		return answersPlain(ctx, o.Addrs[0])
	}
	return speaksTLS(ctx, o.Addrs[0])
}

// answersPlain reports whether the server at addr answers a PING sent in
// plain text with a line of RESP status ("+PONG") or error ("-NOAUTH …"):
// a Redis without TLS, whatever its password.
func answersPlain(ctx context.Context, addr string) bool {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return false
	}
	defer conn.Close()
	if deadline, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(deadline)
	}
	if _, err := io.WriteString(conn, "*1\r\n$4\r\nPING\r\n"); err != nil {
		return false
	}
	line, err := bufio.NewReader(io.LimitReader(conn, 512)).ReadString('\n')
	return err == nil && len(line) > 3 && (line[0] == '+' || line[0] == '-') && strings.HasSuffix(line, "\r\n")
}

// speaksTLS reports whether the server at addr completes a TLS handshake.
// Its certificate is not checked, since nothing is sent on the connection:
// the handshake alone tells the server speaks TLS.
func speaksTLS(ctx context.Context, addr string) bool {
	d := tls.Dialer{Config: &tls.Config{InsecureSkipVerify: true}}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return false
	}
	_ = conn.Close()
	return true
}

// SetLog sets where the store logs what fails in the background (writing
// the notes of the bot's messages); slog.Default() until then.
func (r *Redis) SetLog(l *slog.Logger) { r.log = l }

// logger returns the store's log.
func (r *Redis) logger() *slog.Logger {
	if r.log == nil {
		return slog.Default()
	}
	return r.log
}

// Close writes the notes waiting to be written, then closes the Redis
// client.
func (r *Redis) Close() error {
	return errors.Join(r.closeNotes(), r.client.Close())
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
