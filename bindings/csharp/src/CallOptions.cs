using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace Clarifai.API
{
    /// <summary>Settings of one call (or of every call of a batch). Unset ones keep the client's.</summary>
    public sealed class ClarifaiCallOptions
    {
        /// <summary>
        /// The call's total time, instead of the client's <see cref="ClarifaiClientOptions.Timeout"/>
        /// (every redirect, retry and backoff included); past it the call fails with a
        /// <see cref="TransportException"/> (<see cref="ClarifaiResult.Timeout"/>). The library
        /// checks the value (zero is refused).
        /// </summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>Milliseconds for the library: rounded up, and anything not positive is 0 (which the library refuses).</summary>
        internal static ulong Millis(TimeSpan t)
        {
            return t.Ticks <= 0 ? 0UL : (ulong)Math.Ceiling(t.TotalMilliseconds);
        }
    }

    /// <summary>
    /// A <c>clarifai_call_options</c> for one call: its timeout and, for blocking calls, a
    /// <c>clarifai_cancel_token</c> cancelled by a .NET <see cref="CancellationToken"/>.
    /// </summary>
    internal sealed class NativeCallOptions : IDisposable
    {
        private readonly CallOptionsHandle options;
        private CancelTokenHandle token;
        private CancellationTokenRegistration registration;

        private NativeCallOptions(CallOptionsHandle options)
        {
            this.options = options;
        }

        /// <summary>
        /// Native options for <paramref name="settings"/> and, when <paramref name="cancellation"/>
        /// can be cancelled, a native token it cancels; null when there is nothing to set.
        /// </summary>
        internal static NativeCallOptions Create(ClarifaiCallOptions settings, CancellationToken cancellation)
        {
            bool timeout = settings != null && settings.Timeout.HasValue;
            if (!timeout && !cancellation.CanBeCanceled)
                return null;
            var o = new NativeCallOptions(Native.clarifai_call_options_new());
            try
            {
                ErrorHandle e;
                if (timeout)
                    Errors.Check(Native.clarifai_call_options_set_timeout_ms(o.options, ClarifaiCallOptions.Millis(settings.Timeout.Value), out e), e);
                if (cancellation.CanBeCanceled)
                {
                    o.token = Native.clarifai_cancel_token_new();
                    Errors.Check(Native.clarifai_call_options_set_cancel_token(o.options, o.token, out e), e);
                    o.registration = cancellation.Register(s => ((NativeCallOptions)s).Cancel(), o);
                }
                return o;
            }
            catch
            {
                o.Dispose();
                throw;
            }
        }

        internal static CallOptionsHandle HandleOf(NativeCallOptions o)
        {
            return o == null ? CallOptionsHandle.None : o.options;
        }

        private void Cancel()
        {
            try
            {
                Native.clarifai_cancel_token_cancel(token);
            }
            catch (ObjectDisposedException)
            {
                // The call is over.
            }
        }

        public void Dispose()
        {
            // Waits for a cancellation running on another thread, so the token outlives it.
            registration.Dispose();
            if (token != null)
                token.Dispose();
            options.Dispose();
        }

        internal static class Native
        {
            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern CallOptionsHandle clarifai_call_options_new();

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern void clarifai_call_options_free(IntPtr opts);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_call_options_set_timeout_ms(CallOptionsHandle opts, ulong ms, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_call_options_set_cancel_token(CallOptionsHandle opts, CancelTokenHandle token, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern CancelTokenHandle clarifai_cancel_token_new();

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern void clarifai_cancel_token_cancel(CancelTokenHandle token);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern void clarifai_cancel_token_free(IntPtr token);
        }
    }
}
