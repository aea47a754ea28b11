// Package thidua holds the domain of an emulation block (Khối thi đua): the
// block, its member units and their representatives, and the rules that govern
// who may change what. It is pure Go and performs no I/O; storage, Telegram and
// the scheduler are adapters around it.
//
// Every operation takes the acting person (an Actor) and the current time
// explicitly, checks permissions, applies the change to the Block and records
// an Event that says who did what, when, with the value before and after.
package thidua
