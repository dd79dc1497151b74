using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace Clarifai.API
{
    /// <summary>
    /// Base of the handles to the library's owned objects, one SafeHandle type per native type:
    /// NULL is invalid, and the runtime calls <see cref="SafeHandle.ReleaseHandle"/> exactly once,
    /// from Dispose or the finalizer, never while a P/Invoke that took the handle is still running.
    /// </summary>
    internal abstract class NativeHandle : SafeHandle
    {
        private static long live;
        private int counted = 1;

        protected NativeHandle() : base(IntPtr.Zero, true)
        {
            Interlocked.Increment(ref live);
        }

        protected NativeHandle(IntPtr owned) : this()
        {
            SetHandle(owned);
        }

        /// <summary>Handle objects neither disposed nor finalized yet (for the leak tests).</summary>
        internal static long Live
        {
            get { return Interlocked.Read(ref live); }
        }

        public override bool IsInvalid
        {
            get { return handle == IntPtr.Zero; }
        }

        protected override void Dispose(bool disposing)
        {
            if (Interlocked.Exchange(ref counted, 0) == 1)
                Interlocked.Decrement(ref live);
            base.Dispose(disposing);
        }
    }

    internal sealed class ClientHandle : NativeHandle
    {
        protected override bool ReleaseHandle()
        {
            ClarifaiClient.Native.clarifai_client_free(handle);
            return true;
        }
    }

    internal sealed class ClientOptionsHandle : NativeHandle
    {
        protected override bool ReleaseHandle()
        {
            ClarifaiClientOptions.Native.clarifai_client_options_free(handle);
            return true;
        }
    }

    internal sealed class ResponseHandle : NativeHandle
    {
        public ResponseHandle()
        {
        }

        /// <summary>Takes ownership of a response handed over by a callback.</summary>
        internal ResponseHandle(IntPtr owned) : base(owned)
        {
        }

        protected override bool ReleaseHandle()
        {
            ClarifaiResponse.Native.clarifai_response_free(handle);
            return true;
        }
    }

    internal sealed class ErrorHandle : NativeHandle
    {
        public ErrorHandle()
        {
        }

        /// <summary>Takes ownership of an error handed over by a callback.</summary>
        internal ErrorHandle(IntPtr owned) : base(owned)
        {
        }

        protected override bool ReleaseHandle()
        {
            Errors.Native.clarifai_error_free(handle);
            return true;
        }
    }

    internal sealed class BatchHandle : NativeHandle
    {
        public BatchHandle()
        {
        }

        /// <summary>Takes ownership of a batch handed over by a callback.</summary>
        internal BatchHandle(IntPtr owned) : base(owned)
        {
        }

        protected override bool ReleaseHandle()
        {
            Batch.Native.clarifai_batch_free(handle);
            return true;
        }
    }

    /// <summary>A started asynchronous call or batch. Freeing it cancels a call still running.</summary>
    internal sealed class CallHandle : NativeHandle
    {
        protected override bool ReleaseHandle()
        {
            AsyncCall.Native.clarifai_call_free(handle);
            return true;
        }
    }

    internal sealed class CancelTokenHandle : NativeHandle
    {
        protected override bool ReleaseHandle()
        {
            NativeCallOptions.Native.clarifai_cancel_token_free(handle);
            return true;
        }
    }

    internal sealed class CallOptionsHandle : NativeHandle
    {
        /// <summary>No call options: marshals as NULL. Never freed.</summary>
        internal static readonly CallOptionsHandle None = new CallOptionsHandle();

        protected override bool ReleaseHandle()
        {
            NativeCallOptions.Native.clarifai_call_options_free(handle);
            return true;
        }
    }

    internal sealed class KeyHandle : NativeHandle
    {
        protected override bool ReleaseHandle()
        {
            ClarifaiKey.Native.clarifai_key_free(handle);
            return true;
        }
    }

    internal sealed class KeyListHandle : NativeHandle
    {
        protected override bool ReleaseHandle()
        {
            ClarifaiKeyList.Native.clarifai_key_list_free(handle);
            return true;
        }
    }

    internal sealed class ScopesHandle : NativeHandle
    {
        protected override bool ReleaseHandle()
        {
            ClarifaiScopes.Native.clarifai_scopes_free(handle);
            return true;
        }
    }
}
