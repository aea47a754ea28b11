package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"thiduabot/storage"
	"thiduabot/telegramtest"
)

// memoryResult is the Redis memory of one year-end block: 7 units with a
// representative each, 20 pledges per unit, 4 periods every unit reported
// on, and the record of the last applied updates full.
type memoryResult struct {
	// DocBytes is the length of the stored document, HistoryEntries the
	// number of history entries.
	DocBytes       int64 `json:"doc_bytes"`
	HistoryEntries int64 `json:"history_entries"`
	// The MEMORY USAGE of each of the block's keys, in bytes, and their sum.
	DocMemory     int64 `json:"doc_memory"`
	HistoryMemory int64 `json:"history_memory"`
	ChatMemory    int64 `json:"chat_memory"`
	Total         int64 `json:"total"`
}

// runMemory stores such a block, change after change as the bot would, and
// asks Redis what its keys take.
func runMemory(ctx context.Context, store *storage.Redis, client redis.UniversalClient, prefix string) (memoryResult, error) {
	tg := telegramtest.NewServer()
	defer tg.Close()
	g := newGroups(tg, 1, 7)[0]
	const id = "memory1"
	spec := blockSpec{units: 7, pledges: 20, periods: 4, reportAll: true, applied: 256}
	if _, err := seedBlock(ctx, store, id, g, spec, time.Now().In(zone)); err != nil {
		return memoryResult{}, fmt.Errorf("memory: %w", err)
	}
	// The key layout documented on storage.Redis.
	doc, log, chat := prefix+"{b:"+id+"}:doc", prefix+"{b:"+id+"}:log", prefix+"chat:"+strconv.FormatInt(g.chat.ID, 10)
	var res memoryResult
	var err error
	fields, err := client.HGetAll(ctx, doc).Result()
	if err != nil {
		return res, err
	}
	for name, value := range fields {
		if name != "version" {
			res.DocBytes += int64(len(value))
		}
	}
	if res.HistoryEntries, err = client.LLen(ctx, log).Result(); err != nil {
		return res, err
	}
	for key, v := range map[string]*int64{doc: &res.DocMemory, log: &res.HistoryMemory, chat: &res.ChatMemory} {
		// SAMPLES 0 measures every element of the history list.
		if *v, err = client.MemoryUsage(ctx, key, 0).Result(); err != nil {
			return res, fmt.Errorf("memory usage of %s: %w", key, err)
		}
	}
	res.Total = res.DocMemory + res.HistoryMemory + res.ChatMemory
	return res, nil
}
