// Registers snappy, lz4 and zstd codecs with kafkajs 2.2.4, which ships only
// gzip. All pure JavaScript from npm (pinned by deploy/install-deps.sh):
// kafkajs-snappy (raw and xerial snappy), lz4js (LZ4 frame format, as Kafka
// uses) and fzstd (zstd decompression only: the suite's kafkajs only reads
// compressed batches, producing zstd throws).
'use strict'
const { CompressionTypes, CompressionCodecs } = require('kafkajs')
const SnappyCodec = require('kafkajs-snappy')
const lz4 = require('lz4js')
const fzstd = require('fzstd')

CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec
CompressionCodecs[CompressionTypes.LZ4] = () => ({
  async compress (encoder) { return Buffer.from(lz4.compress(encoder.buffer)) },
  async decompress (buffer) { return Buffer.from(lz4.decompress(buffer)) }
})
CompressionCodecs[CompressionTypes.ZSTD] = () => ({
  async compress () { throw new Error('zstd compression is not available (fzstd decompresses only)') },
  async decompress (buffer) { return Buffer.from(fzstd.decompress(buffer)) }
})
