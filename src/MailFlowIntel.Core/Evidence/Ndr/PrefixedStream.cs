using System;
using System.IO;

namespace MailFlowIntel.Core.Evidence.Ndr
{
    /// <summary>The bytes already read to sniff the format, then the rest of the stream; stops at a size bound.</summary>
    internal sealed class PrefixedStream : Stream
    {
        readonly byte[] prefix;
        readonly int prefixCount;
        readonly Stream inner;
        readonly long limit;
        int prefixPos;
        long total;

        public PrefixedStream(byte[] prefix, int start, int prefixCount, Stream inner, long limit)
        {
            this.prefix = prefix;
            prefixPos = start;
            this.prefixCount = prefixCount;
            this.inner = inner;
            this.limit = limit;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n;
            if (prefixPos < prefixCount)
            {
                n = Math.Min(count, prefixCount - prefixPos);
                Buffer.BlockCopy(prefix, prefixPos, buffer, offset, n);
                prefixPos += n;
            }
            else
            {
                n = inner.Read(buffer, offset, count);
            }
            total += n;
            if (total > limit) throw new MessageTooLargeException();
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => total; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
