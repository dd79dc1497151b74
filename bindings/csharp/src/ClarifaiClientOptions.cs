using System;

namespace Clarifai.API
{
    /// <summary>
    /// Settings for a new client. Every setting is optional: unset ones keep the library's
    /// defaults (base URL from CLARIFAI_API_BASE or https://api.clarifai.com, 10 s connect and
    /// 60 s total timeouts, platform CA roots, 128 concurrent calls, 2 retries).
    /// </summary>
    public sealed class ClarifaiClientOptions
    {
        /// <summary>The API base URL, e.g. "https://api.clarifai.com". Plain http:// only to loopback hosts unless <see cref="DangerAllowInsecureHttp"/>.</summary>
        public string BaseUrl { get; set; }

        /// <summary>Total time for one request, body included.</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>Time to establish a connection.</summary>
        public TimeSpan? ConnectTimeout { get; set; }

        /// <summary>A PEM file of CA certificates to trust instead of the platform's roots.</summary>
        public string CaFile { get; set; }

        /// <summary>Retries after a first attempt (0 disables); only safe retries happen.</summary>
        public int? MaxRetries { get; set; }

        /// <summary>Most asynchronous or batched calls in flight at once.</summary>
        public int? MaxConcurrency { get; set; }

        /// <summary>The User-Agent header.</summary>
        public string UserAgent { get; set; }

        /// <summary>Largest response body accepted, in bytes.</summary>
        public long? MaxResponseBytes { get; set; }

        /// <summary>Allow plain http:// to hosts that are not loopback: credentials then cross the network in clear text.</summary>
        public bool DangerAllowInsecureHttp { get; set; }

        /// <summary>Checks every setting here, so a bad one fails before any native call.</summary>
        internal void Validate()
        {
            Utf8.OptionalArg(BaseUrl, "BaseUrl");
            Utf8.OptionalArg(CaFile, "CaFile");
            Utf8.OptionalArg(UserAgent, "UserAgent");
            if (Timeout.HasValue && Timeout.Value.Ticks <= 0)
                throw new ArgumentOutOfRangeException("Timeout", "must be positive");
            if (ConnectTimeout.HasValue && ConnectTimeout.Value.Ticks <= 0)
                throw new ArgumentOutOfRangeException("ConnectTimeout", "must be positive");
            if (MaxRetries.HasValue && MaxRetries.Value < 0)
                throw new ArgumentOutOfRangeException("MaxRetries", "must not be negative");
            if (MaxConcurrency.HasValue && MaxConcurrency.Value <= 0)
                throw new ArgumentOutOfRangeException("MaxConcurrency", "must be positive");
            if (MaxResponseBytes.HasValue && MaxResponseBytes.Value <= 0)
                throw new ArgumentOutOfRangeException("MaxResponseBytes", "must be positive");
        }

        /// <summary>
        /// Native options with every setting here. Null options give a fresh invalid handle, which
        /// marshals as NULL (the defaults); each caller disposes what it gets.
        /// </summary>
        internal static OptionsHandle ToNative(ClarifaiClientOptions o)
        {
            if (o == null)
                return new OptionsHandle();
            o.Validate();
            OptionsHandle h = Native.clarifai_client_options_new();
            try
            {
                ErrorHandle e;
                if (o.BaseUrl != null)
                    Errors.Check(Native.clarifai_client_options_set_base_url(h, Utf8.Bytes(o.BaseUrl), out e), e);
                if (o.Timeout.HasValue)
                    Errors.Check(Native.clarifai_client_options_set_timeout_ms(h, Millis(o.Timeout.Value), out e), e);
                if (o.ConnectTimeout.HasValue)
                    Errors.Check(Native.clarifai_client_options_set_connect_timeout_ms(h, Millis(o.ConnectTimeout.Value), out e), e);
                if (o.CaFile != null)
                    Errors.Check(Native.clarifai_client_options_set_ca_file(h, Utf8.Bytes(o.CaFile), out e), e);
                if (o.MaxRetries.HasValue)
                    Errors.Check(Native.clarifai_client_options_set_max_retries(h, (uint)o.MaxRetries.Value, out e), e);
                if (o.MaxConcurrency.HasValue)
                    Errors.Check(Native.clarifai_client_options_set_max_concurrency(h, (UIntPtr)o.MaxConcurrency.Value, out e), e);
                if (o.UserAgent != null)
                    Errors.Check(Native.clarifai_client_options_set_user_agent(h, Utf8.Bytes(o.UserAgent), out e), e);
                if (o.MaxResponseBytes.HasValue)
                    Errors.Check(Native.clarifai_client_options_set_max_response_bytes(h, (ulong)o.MaxResponseBytes.Value, out e), e);
                if (o.DangerAllowInsecureHttp)
                    Errors.Check(Native.clarifai_client_options_set_danger_allow_insecure_http(h, true, out e), e);
                return h;
            }
            catch
            {
                h.Dispose();
                throw;
            }
        }

        // Sub-millisecond timeouts round up: zero is refused by the library and means nothing useful.
        private static ulong Millis(TimeSpan t)
        {
            return (ulong)Math.Max(1L, (long)Math.Ceiling(t.TotalMilliseconds));
        }
    }
}
