// kafkajs 2.2.4 worker: one operation per process, `node worker_kafkajs.js OP
// JSON`; prints one JSON result line on stdout, client logs on stderr.
// NODE_PATH points at the node_modules that deploy/install-deps.sh fills.
'use strict'
const { Kafka, logLevel, Partitioners } = require('kafkajs')
require('./kafkajs_codecs')

const VALUE_PAD = 64
const keyOf = i => 'k-' + String(i).padStart(6, '0')
const valueOf = i => 'value-' + String(i).padStart(6, '0') + '-' + 'x'.repeat(VALUE_PAD)
const checkValue = (key, value) => {
  const i = parseInt(key.split('-')[1], 10)
  return !Number.isNaN(i) && value === valueOf(i)
}
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

// kafkajs logs through console.info by default, which is stdout: send them
// to stderr so stdout carries only the result line.
const logCreator = () => ({ namespace, level, label, log }) => {
  const { message, ...extra } = log
  process.stderr.write(`${new Date().toISOString()} ${label} [${namespace}] ${message} ${JSON.stringify(extra)}\n`)
}

function client (args) {
  return new Kafka({
    clientId: 'strata-compat-kafkajs',
    brokers: [args.bootstrap],
    logLevel: logLevel.WARN,
    logCreator,
    retry: { retries: 8 }
  })
}

async function waitFor (cond, deadline, what) {
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what)
    await sleep(50)
  }
}

// kafkajs's own waitForLeaders retries only LEADER_NOT_AVAILABLE, but Apache
// Kafka (KRaft) may answer Metadata with UNKNOWN_TOPIC_OR_PARTITION for a
// moment after CreateTopics returned, while its broker catches up with the
// controller. So the wait for leaders is done here, bounded, tolerating both.
async function waitForLeaders (admin, topic, partitions, deadlineMs) {
  let last = 'no metadata yet'
  while (Date.now() < deadlineMs) {
    try {
      const md = await admin.fetchTopicMetadata({ topics: [topic] })
      const parts = md.topics[0].partitions
      if (parts.length === partitions && parts.every(p => p.leader >= 0)) return parts.length
      last = `metadata shows ${parts.length} partitions, leaders ${parts.map(p => p.leader)}`
    } catch (e) {
      // kafkajs's retrier wraps the protocol error once its own retries ran out
      const type = (e.originalError || e).type
      if (type !== 'UNKNOWN_TOPIC_OR_PARTITION' && type !== 'LEADER_NOT_AVAILABLE') throw e
      last = type
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`no leader for every partition of ${topic} within the deadline: ${last}`)
}

async function createTopic (args) {
  const admin = client(args).admin()
  await admin.connect()
  try {
    const created = await admin.createTopics({
      topics: [{ topic: args.topic, numPartitions: args.partitions, replicationFactor: 1 }],
      timeout: 10000,
      waitForLeaders: false // its own wait gives up on UNKNOWN_TOPIC_OR_PARTITION: see below
    })
    if (!created) return { ok: false, error: 'createTopics returned false (topic already existed)' }
    const n = await waitForLeaders(admin, args.topic, args.partitions, Date.now() + 15000)
    return { partitions: n }
  } finally {
    await admin.disconnect()
  }
}

async function produceRecords (args, start, count, idempotent) {
  const producer = client(args).producer({
    idempotent: !!idempotent,
    maxInFlightRequests: idempotent ? 1 : undefined,
    createPartitioner: Partitioners.DefaultPartitioner
  })
  await producer.connect()
  const firstOffsets = {}
  try {
    const chunk = 1000
    for (let i = start; i < start + count; i += chunk) {
      const messages = []
      for (let j = i; j < Math.min(start + count, i + chunk); j++) {
        messages.push({ key: keyOf(j), value: valueOf(j) })
      }
      const acks = await producer.send({ topic: args.topic, acks: -1, messages })
      for (const a of acks) {
        const o = Number(a.baseOffset)
        if (!(a.partition in firstOffsets) || o < firstOffsets[a.partition]) firstOffsets[a.partition] = o
      }
    }
  } finally {
    await producer.disconnect()
  }
  return firstOffsets
}

async function produce (args) {
  // The first acknowledged offset of each partition, for the read-back check.
  const first = await produceRecords(args, args.start, args.count, args.idempotent)
  return { produced: args.count, first_offsets: first }
}

// A group member that keeps what it reads; commits are explicit.
function member (args, group) {
  const consumer = client(args).consumer({
    groupId: group,
    sessionTimeout: 6000,
    heartbeatInterval: 500,
    rebalanceTimeout: 10000,
    maxWaitTimeInMs: 200
  })
  const state = { consumer, assignment: [], assignedAt: null, records: [], badValues: 0 }
  consumer.on(consumer.events.GROUP_JOIN, e => {
    const parts = []
    for (const [topic, ps] of Object.entries(e.payload.memberAssignment)) {
      for (const p of ps) parts.push([topic, p])
    }
    state.assignment = parts
    state.assignedAt = parts.length ? Date.now() : null
  })
  consumer.on(consumer.events.REBALANCING, () => { state.assignment = []; state.assignedAt = null })
  return state
}

async function runMember (state, topics, keep, commitEachBatch) {
  const c = state.consumer
  await c.connect()
  for (const topic of topics) await c.subscribe({ topic, fromBeginning: true })
  await c.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      let next = null
      for (const m of batch.messages) {
        if (!keep()) break
        const key = m.key.toString()
        state.records.push([batch.topic, batch.partition, Number(m.offset), key])
        if (!checkValue(key, m.value.toString())) state.badValues++
        next = Number(m.offset) + 1
        resolveOffset(m.offset) // the fetch position only: commits are explicit
      }
      await heartbeat()
      if (commitEachBatch && next !== null) {
        await c.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: String(next) }])
      }
    }
  })
}

function committable (records) {
  const next = new Map()
  for (const [topic, partition, offset] of records) {
    const k = topic + '\u0000' + partition
    next.set(k, Math.max(next.get(k) || 0, offset + 1))
  }
  return [...next].map(([k, o]) => {
    const [topic, partition] = k.split('\u0000')
    return { topic, partition: Number(partition), offset: String(o) }
  })
}

async function consume (args) {
  const deadline = Date.now() + (args.timeout_s || 60) * 1000
  const max = args.max || 0
  const quietMs = (args.quiet_s || 2) * 1000
  const m = member(args, args.group)
  let timedOut = false
  try {
    await runMember(m, args.topics, () => !max || m.records.length < max, false)
    let lastCount = -1
    let lastChange = Date.now()
    while (true) {
      if (max && m.records.length >= max) break
      if (Date.now() > deadline) { timedOut = true; break }
      if (m.records.length !== lastCount) { lastCount = m.records.length; lastChange = Date.now() }
      if (!max && m.assignedAt !== null && Date.now() - Math.max(m.assignedAt, lastChange) >= quietMs) break
      await sleep(50)
    }
    await m.consumer.pause(args.topics.map(topic => ({ topic })))
    const offsets = committable(m.records)
    if (offsets.length) await m.consumer.commitOffsets(offsets)
  } finally {
    await m.consumer.disconnect()
  }
  return { records: m.records, bad_values: m.badValues, timed_out: timedOut, assignment: m.assignment }
}

async function split (args) {
  const deadline = Date.now() + (args.timeout_s || 90) * 1000
  const parts = args.partitions
  const a = member(args, args.group)
  const b = member(args, args.group)
  const result = { ok: false }
  const owned = s => new Set(s.assignment.map(([, p]) => p))
  try {
    await runMember(a, [args.topic], () => true, true)
    await waitFor(() => owned(a).size === parts, deadline, 'A to hold every partition alone')
    await runMember(b, [args.topic], () => true, true)
    await waitFor(() => {
      const sa = owned(a); const sb = owned(b)
      return sa.size && sb.size && sa.size + sb.size === parts &&
        new Set([...sa, ...sb]).size === parts
    }, deadline, 'A and B to split the partitions')
    result.split = [[...owned(a)].sort(), [...owned(b)].sort()]
    await produceRecords(args, 0, args.n1, false)
    await waitFor(() => a.records.length + b.records.length >= args.n1, deadline,
      `A and B to read the first ${args.n1} records`)
    await b.consumer.disconnect()
    await waitFor(() => owned(a).size === parts, deadline, 'A to take every partition after B left')
    result.a_after_leave = [...owned(a)].sort()
    await produceRecords(args, args.n1, args.n2, false)
    await waitFor(() => a.records.length + b.records.length >= args.n1 + args.n2, deadline,
      `A to read the second ${args.n2} records`)
    await sleep(1000) // room for a duplicate delivery to show up
    result.ok = true
  } catch (e) {
    result.error = String(e && e.stack ? e.stack : e)
  } finally {
    await a.consumer.disconnect().catch(() => {})
    await b.consumer.disconnect().catch(() => {})
  }
  result.a_records = a.records
  result.b_records = b.records
  result.bad_values = a.badValues + b.badValues
  return result
}

async function read (args) {
  // kafkajs always consumes in a group: a fresh one reading from the beginning.
  const deadline = Date.now() + (args.timeout_s || 60) * 1000
  const m = member(args, args.group)
  try {
    await runMember(m, args.topics, () => true, false)
    while (m.records.length < args.count && Date.now() < deadline) await sleep(50)
  } finally {
    await m.consumer.disconnect()
  }
  return { records: m.records, bad_values: m.badValues }
}

// The offsets-for-times scenario (kafka_compat.py): record i to partition
// i % P with create timestamp base_ms + i * step_ms, sent 10 records per
// partition at a time (idempotent, acks=all); then
// admin.fetchTopicOffsetsByTimestamp at each target. kafkajs answers offsets
// only, and where no record is that late it answers the partition's end
// offset (its own second ListOffsets) instead of -1.
async function offsetsForTimes (args) {
  const kafka = client(args)
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner
  })
  const produced = []
  await producer.connect()
  try {
    const chunk = 10 * args.partitions
    for (let i = 0; i < args.count; i += chunk) {
      const messages = []
      for (let j = i; j < Math.min(args.count, i + chunk); j++) {
        messages.push({
          key: keyOf(j),
          value: valueOf(j),
          partition: j % args.partitions,
          timestamp: String(args.base_ms + j * args.step_ms)
        })
      }
      const acks = await producer.send({ topic: args.topic, acks: -1, messages })
      // One batch per partition per send: its records take consecutive
      // offsets from the batch's base offset, in the order sent.
      const next = {}
      for (const a of acks) next[a.partition] = Number(a.baseOffset)
      for (const m of messages) {
        if (!(m.partition in next)) throw new Error(`no acknowledgement for partition ${m.partition}`)
        produced.push([m.partition, next[m.partition]++, Number(m.timestamp)])
      }
    }
  } finally {
    await producer.disconnect()
  }
  const admin = kafka.admin()
  await admin.connect()
  const answers = []
  try {
    for (const target of args.targets) {
      const got = await admin.fetchTopicOffsetsByTimestamp(args.topic, Number(target))
      for (const { partition, offset } of got) answers.push([Number(target), partition, Number(offset), null])
    }
  } finally {
    await admin.disconnect()
  }
  return { produced, answers }
}

const ops = { create_topic: createTopic, produce, consume, split, read, offsets_for_times: offsetsForTimes }

async function main () {
  const [op, json] = process.argv.slice(2)
  if (!ops[op] || json === undefined) {
    console.log(JSON.stringify({ ok: false, error: 'usage: worker_kafkajs.js OP JSON' }))
    process.exit(2)
  }
  let result
  try {
    result = await ops[op](JSON.parse(json))
    if (result.ok === undefined) result.ok = true
  } catch (e) {
    process.stderr.write(String(e && e.stack ? e.stack : e) + '\n')
    result = { ok: false, error: String(e && e.message ? e.message : e) }
  }
  process.stdout.write(JSON.stringify(result) + '\n', () => process.exit(result.ok ? 0 : 1))
}

main()
