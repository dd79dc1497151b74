using System;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Clarifai.API
{
    /// <summary>
    /// Settings for a new client. Every setting is optional: an unset one (null) keeps the
    /// library's default (the <c>CLARIFAI_DEFAULT_*</c> macros of clarifai.h; the base URL from
    /// CLARIFAI_API_BASE when set). Values are checked by the library when a client is made, the
    /// same checks as in C and Rust: a bad one fails the client's creation with a
    /// <see cref="ClarifaiArgumentException"/> (or a <see cref="ClarifaiConfigurationException"/>
    /// for an insecure URL) naming it.
    /// </summary>
    public sealed class ClarifaiClientOptions
    {
        /// <summary>The API base URL, e.g. "https://api.clarifai.com". Plain http:// only to loopback hosts unless <see cref="DangerAllowInsecureHttp"/>.</summary>
        public string BaseUrl { get; set; }

        /// <summary>Total time for one call: every redirect, retry and backoff, and the body.</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>Time to establish a connection.</summary>
        public TimeSpan? ConnectTimeout { get; set; }

        /// <summary>A PEM file of CA certificates to trust instead of the platform's roots.</summary>
        public string CaFile { get; set; }

        /// <summary>Retries after a first attempt (0 disables); only safe retries happen.</summary>
        public uint? MaxRetries { get; set; }

        /// <summary>Most asynchronous or batched calls in flight at once.</summary>
        public uint? MaxConcurrency { get; set; }

        /// <summary>The User-Agent header.</summary>
        public string UserAgent { get; set; }

        /// <summary>Largest response body accepted, in bytes after decompression.</summary>
        public ulong? MaxResponseBytes { get; set; }

        /// <summary>Allow plain http:// to hosts that are not loopback: credentials then cross the network in clear text.</summary>
        public bool? DangerAllowInsecureHttp { get; set; }

        /// <summary>
        /// Send every request through this proxy: <c>http://[user:password@]host:port</c> (or
        /// https://). https is tunnelled with CONNECT, so TLS stays end to end. Wins over the
        /// environment. The password is a secret: the library never puts it in an error, and the
        /// debugger does not show this property.
        /// </summary>
        [DebuggerBrowsable(DebuggerBrowsableState.Never)]
        public string Proxy { get; set; }

        /// <summary>Whether to use the proxies the environment names (https_proxy, http_proxy, all_proxy, no_proxy; loopback hosts always go direct).</summary>
        public bool? ProxyFromEnvironment { get; set; }

        /// <summary>Speak HTTP/2 from the first byte over plain http:// (h2c); over https, only h2 is offered.</summary>
        public bool? Http2PriorKnowledge { get; set; }

        /// <summary>
        /// Native options with every setting made here, for the caller to dispose. No options give
        /// an invalid handle, which marshals as NULL (the defaults).
        /// </summary>
        internal static ClientOptionsHandle ToNative(ClarifaiClientOptions o)
        {
            if (o == null)
                return new ClientOptionsHandle();
            // Strings are converted first: a NUL character cannot cross into C at all.
            byte[] baseUrl = Utf8.OptionalArg(o.BaseUrl, "BaseUrl");
            byte[] caFile = Utf8.OptionalArg(o.CaFile, "CaFile");
            byte[] userAgent = Utf8.OptionalArg(o.UserAgent, "UserAgent");
            byte[] proxy = Utf8.OptionalArg(o.Proxy, "Proxy");
            ClientOptionsHandle h = Native.clarifai_client_options_new();
            try
            {
                ErrorHandle e;
                if (baseUrl != null)
                    Errors.Check(Native.clarifai_client_options_set_base_url(h, baseUrl, out e), e);
                if (o.Timeout.HasValue)
                    Errors.Check(Native.clarifai_client_options_set_timeout_ms(h, ClarifaiCallOptions.Millis(o.Timeout.Value), out e), e);
                if (o.ConnectTimeout.HasValue)
                    Errors.Check(Native.clarifai_client_options_set_connect_timeout_ms(h, ClarifaiCallOptions.Millis(o.ConnectTimeout.Value), out e), e);
                if (caFile != null)
                    Errors.Check(Native.clarifai_client_options_set_ca_file(h, caFile, out e), e);
                if (o.MaxRetries.HasValue)
                    Errors.Check(Native.clarifai_client_options_set_max_retries(h, o.MaxRetries.Value, out e), e);
                if (o.MaxConcurrency.HasValue)
                    Errors.Check(Native.clarifai_client_options_set_max_concurrency(h, (UIntPtr)o.MaxConcurrency.Value, out e), e);
                if (userAgent != null)
                    Errors.Check(Native.clarifai_client_options_set_user_agent(h, userAgent, out e), e);
                if (o.MaxResponseBytes.HasValue)
                    Errors.Check(Native.clarifai_client_options_set_max_response_bytes(h, o.MaxResponseBytes.Value, out e), e);
                if (o.DangerAllowInsecureHttp.HasValue)
                    Errors.Check(Native.clarifai_client_options_set_danger_allow_insecure_http(h, o.DangerAllowInsecureHttp.Value, out e), e);
                if (proxy != null)
                    Errors.Check(Native.clarifai_client_options_set_proxy(h, proxy, out e), e);
                if (o.ProxyFromEnvironment.HasValue)
                    Errors.Check(Native.clarifai_client_options_set_proxy_from_env(h, o.ProxyFromEnvironment.Value, out e), e);
                if (o.Http2PriorKnowledge.HasValue)
                    Errors.Check(Native.clarifai_client_options_set_http2_prior_knowledge(h, o.Http2PriorKnowledge.Value, out e), e);
                return h;
            }
            catch
            {
                h.Dispose();
                throw;
            }
            finally
            {
                Utf8.Wipe(proxy);
            }
        }

        internal static class Native
        {
            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern ClientOptionsHandle clarifai_client_options_new();

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern void clarifai_client_options_free(IntPtr opts);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_options_set_base_url(ClientOptionsHandle opts, byte[] url, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_options_set_connect_timeout_ms(ClientOptionsHandle opts, ulong ms, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_options_set_timeout_ms(ClientOptionsHandle opts, ulong ms, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_options_set_ca_file(ClientOptionsHandle opts, byte[] path, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_options_set_user_agent(ClientOptionsHandle opts, byte[] userAgent, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_options_set_max_concurrency(ClientOptionsHandle opts, UIntPtr n, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_options_set_max_retries(ClientOptionsHandle opts, uint n, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_options_set_max_response_bytes(ClientOptionsHandle opts, ulong n, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_options_set_danger_allow_insecure_http(ClientOptionsHandle opts, [MarshalAs(UnmanagedType.I1)] bool allow, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_options_set_proxy(ClientOptionsHandle opts, byte[] url, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_options_set_proxy_from_env(ClientOptionsHandle opts, [MarshalAs(UnmanagedType.I1)] bool on, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_options_set_http2_prior_knowledge(ClientOptionsHandle opts, [MarshalAs(UnmanagedType.I1)] bool on, out ErrorHandle error);
        }
    }
}
