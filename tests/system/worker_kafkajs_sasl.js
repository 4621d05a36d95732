// kafkajs 2.2.4 over SASL_PLAINTEXT, for kafka_sasl.py: `node
// worker_kafkajs_sasl.js JSON` produces `count` records to `topic`, then
// reads them back in group `group`; prints one JSON result line on stdout.
// With `expect_failure` it only tries to produce and reports the error.
'use strict'
const { Kafka, logLevel, Partitioners } = require('kafkajs')

const args = JSON.parse(process.argv[2])
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

async function main () {
  const kafka = new Kafka({
    clientId: 'strata-sasl-kafkajs',
    brokers: [args.bootstrap],
    logLevel: logLevel.NOTHING,
    retry: { retries: args.expect_failure ? 0 : 5 },
    sasl: { mechanism: args.mechanism.toLowerCase(), username: args.user, password: args.password }
  })
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner })
  try {
    await producer.connect()
    const messages = []
    for (let i = 0; i < args.count; i++) messages.push({ key: 'k-' + i, value: 'v-' + i })
    await producer.send({ topic: args.topic, acks: -1, messages })
    await producer.disconnect()
  } catch (e) {
    console.log(JSON.stringify({ ok: false, error: e.name + ': ' + e.message }))
    return
  }
  if (args.expect_failure) {
    console.log(JSON.stringify({ ok: true, error: 'no error' }))
    return
  }
  const consumer = kafka.consumer({ groupId: args.group, sessionTimeout: 10000, heartbeatInterval: 500 })
  await consumer.connect()
  await consumer.subscribe({ topic: args.topic, fromBeginning: true })
  const seen = new Set()
  await consumer.run({ eachMessage: async ({ message }) => { seen.add(message.key.toString()) } })
  const deadline = Date.now() + 60000
  while (seen.size < args.count && Date.now() < deadline) await sleep(100)
  await consumer.disconnect()
  console.log(JSON.stringify({ ok: seen.size === args.count, received: seen.size }))
}

main().catch(e => { console.log(JSON.stringify({ ok: false, error: String(e) })); process.exit(1) })
