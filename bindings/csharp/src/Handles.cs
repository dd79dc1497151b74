using System;
using System.Runtime.InteropServices;

namespace Clarifai.API
{
    /// <summary>
    /// Base of the handles to the library's owned objects: NULL is invalid, and the runtime calls
    /// <see cref="SafeHandle.ReleaseHandle"/> exactly once, from Dispose or the finalizer, never
    /// while a P/Invoke that took the handle is still running.
    /// </summary>
    internal abstract class NativeHandle : SafeHandle
    {
        protected NativeHandle() : base(IntPtr.Zero, true)
        {
        }

        protected NativeHandle(IntPtr owned) : base(IntPtr.Zero, true)
        {
            SetHandle(owned);
        }

        public override bool IsInvalid
        {
            get { return handle == IntPtr.Zero; }
        }
    }

    internal sealed class ClientHandle : NativeHandle
    {
        protected override bool ReleaseHandle()
        {
            Native.clarifai_client_free(handle);
            return true;
        }
    }

    internal sealed class ResponseHandle : NativeHandle
    {
        public ResponseHandle()
        {
        }

        /// <summary>Takes ownership of a response handed over by the async callback.</summary>
        internal ResponseHandle(IntPtr owned) : base(owned)
        {
        }

        protected override bool ReleaseHandle()
        {
            Native.clarifai_response_free(handle);
            return true;
        }
    }

    internal sealed class ErrorHandle : NativeHandle
    {
        public ErrorHandle()
        {
        }

        /// <summary>Takes ownership of an error handed over by the async callback.</summary>
        internal ErrorHandle(IntPtr owned) : base(owned)
        {
        }

        protected override bool ReleaseHandle()
        {
            Native.clarifai_error_free(handle);
            return true;
        }
    }

    internal sealed class OptionsHandle : NativeHandle
    {
        protected override bool ReleaseHandle()
        {
            Native.clarifai_client_options_free(handle);
            return true;
        }
    }

    internal sealed class BatchHandle : NativeHandle
    {
        protected override bool ReleaseHandle()
        {
            Native.clarifai_batch_free(handle);
            return true;
        }
    }
}
