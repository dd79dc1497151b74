using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Tasks;

namespace Clarifai.API
{
    /// <summary>
    /// A Clarifai API client: a credential, settings and a keep-alive connection pool in the native
    /// library. Thread-safe: share one client between any number of threads and calls. Dispose it
    /// when done (the finalizer frees it otherwise); calls started with <see cref="CallAsync"/>
    /// still complete after Dispose.
    /// </summary>
    /// <example><code>
    /// using (var client = new ClarifaiClient("YOUR_API_KEY"))
    /// {
    ///     var response = client.Call("ListInputs", "{\"per_page\": 1}");
    ///     Console.WriteLine(response.Json);
    /// }
    /// </code></example>
    public sealed class ClarifaiClient : IDisposable
    {
        private readonly ClientHandle handle;

        /// <summary>A client authorizing with an app-specific API key.</summary>
        /// <exception cref="ArgumentException">an empty key, or one with whitespace, control or non-ASCII characters</exception>
        public ClarifaiClient(string apiKey) : this(apiKey, null)
        {
        }

        /// <summary>A client authorizing with an app-specific API key, with settings.</summary>
        public ClarifaiClient(string apiKey, ClarifaiClientOptions options)
        {
            NativeLoader.EnsureLoaded();
            handle = NewApiKey(apiKey, options);
        }

        private ClarifaiClient(ClientHandle handle)
        {
            this.handle = handle;
        }

        /// <summary>
        /// A client authorizing with a Personal Access Token, acting on <paramref name="userId"/>
        /// ("me" for the token's own user) and <paramref name="appId"/> unless a call's parameters
        /// name another user_app_id.
        /// </summary>
        public static ClarifaiClient WithPat(string pat, string userId, string appId, ClarifaiClientOptions options = null)
        {
            NativeLoader.EnsureLoaded();
            return new ClarifaiClient(NewPat(pat, userId, appId, options));
        }

        /// <summary>
        /// A client from the environment, as the official SDK reads it: CLARIFAI_PAT with
        /// CLARIFAI_USER_ID and CLARIFAI_APP_ID, else CLARIFAI_API_KEY; CLARIFAI_API_BASE;
        /// CLARIFAI_ROOT_CERTIFICATES_PATH. Settings in <paramref name="options"/> win.
        /// </summary>
        /// <exception cref="ClarifaiConfigurationException">a variable is missing (the message names it)</exception>
        public static ClarifaiClient FromEnvironment(ClarifaiClientOptions options = null)
        {
            NativeLoader.EnsureLoaded();
            return new ClarifaiClient(NewFromEnvironment(options));
        }

        /// <summary>The native library's version, e.g. "0.1.0".</summary>
        public static string Version
        {
            get
            {
                NativeLoader.EnsureLoaded();
                return ReadVersion();
            }
        }

        // The factories below are the first methods to call into the library, so they stay out of
        // line: Mono binds P/Invokes when it compiles the caller, which must happen after
        // NativeLoader has installed any path override.

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ClientHandle NewApiKey(string apiKey, ClarifaiClientOptions options)
        {
            byte[] key = Utf8.Arg(apiKey, "apiKey");
            try
            {
                using (OptionsHandle opts = ClarifaiClientOptions.ToNative(options))
                {
                    ClientHandle client;
                    ErrorHandle error;
                    uint r = Native.clarifai_client_new_api_key(key, opts, out client, out error);
                    Errors.Check(r, error);
                    return client;
                }
            }
            finally
            {
                Utf8.Wipe(key);
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ClientHandle NewPat(string pat, string userId, string appId, ClarifaiClientOptions options)
        {
            byte[] token = Utf8.Arg(pat, "pat");
            try
            {
                byte[] user = Utf8.Arg(userId, "userId");
                byte[] app = Utf8.Arg(appId, "appId");
                using (OptionsHandle opts = ClarifaiClientOptions.ToNative(options))
                {
                    ClientHandle client;
                    ErrorHandle error;
                    uint r = Native.clarifai_client_new_pat(token, user, app, opts, out client, out error);
                    Errors.Check(r, error);
                    return client;
                }
            }
            finally
            {
                Utf8.Wipe(token);
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ClientHandle NewFromEnvironment(ClarifaiClientOptions options)
        {
            using (OptionsHandle opts = ClarifaiClientOptions.ToNative(options))
            {
                ClientHandle client;
                ErrorHandle error;
                uint r = Native.clarifai_client_new_from_env(opts, out client, out error);
                Errors.Check(r, error);
                return client;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static string ReadVersion()
        {
            return Utf8.PtrToString(Native.clarifai_version());
        }

        /// <summary>
        /// A new client sending <paramref name="apiKey"/> instead, sharing this client's connection
        /// pool and settings: the per-request credential. Dispose both independently.
        /// </summary>
        public ClarifaiClient WithApiKey(string apiKey)
        {
            byte[] key = Utf8.Arg(apiKey, "apiKey");
            try
            {
                ClientHandle client;
                ErrorHandle error;
                uint r = Native.clarifai_client_with_api_key(Handle, key, out client, out error);
                Errors.Check(r, error);
                return new ClarifaiClient(client);
            }
            finally
            {
                Utf8.Wipe(key);
            }
        }

        /// <summary>
        /// A new client sending a Personal Access Token (acting on its user and app) instead,
        /// sharing this client's connection pool and settings. (Named apart from the static
        /// <see cref="WithPat(string, string, string, ClarifaiClientOptions)"/> factory, which C#
        /// cannot overload by static-ness.)
        /// </summary>
        public ClarifaiClient WithPersonalAccessToken(string pat, string userId, string appId)
        {
            byte[] token = Utf8.Arg(pat, "pat");
            try
            {
                byte[] user = Utf8.Arg(userId, "userId");
                byte[] app = Utf8.Arg(appId, "appId");
                ClientHandle client;
                ErrorHandle error;
                uint r = Native.clarifai_client_with_pat(Handle, token, user, app, out client, out error);
                Errors.Check(r, error);
                return new ClarifaiClient(client);
            }
            finally
            {
                Utf8.Wipe(token);
            }
        }

        /// <summary>The kind of credential this client sends.</summary>
        public CredentialKind CredentialKind
        {
            get { return (CredentialKind)Native.clarifai_client_credential_kind(Handle); }
        }

        /// <summary>
        /// Calls an RPC by name (e.g. "PostModelOutputs") with its request fields as a JSON object
        /// (null or "" for none). Path fields (model_id, input_id, …) come from the parameters;
        /// user_app_id from the parameters or, for a PAT, from the client. Blocks for one HTTP
        /// exchange.
        /// </summary>
        /// <exception cref="ClarifaiArgumentException">an unknown endpoint, or parameters that are not a JSON object</exception>
        /// <exception cref="ClarifaiException">the API refused the call, or it never got an answer (a subclass says which)</exception>
        public ClarifaiResponse Call(string endpoint, string jsonParams = null)
        {
            byte[] ep = Utf8.Arg(endpoint, "endpoint");
            byte[] p = Utf8.OptionalArg(jsonParams, "jsonParams");
            ResponseHandle response;
            ErrorHandle error;
            uint r = Native.clarifai_client_call(Handle, ep, p, out response, out error);
            Errors.Check(r, error);
            return new ClarifaiResponse(response);
        }

        /// <summary>
        /// A raw request: <paramref name="method"/> is GET, POST, PATCH, PUT or DELETE;
        /// <paramref name="path"/> starts with "/" (a query string is allowed), relative to the base
        /// URL; <paramref name="jsonBody"/> is null for no body.
        /// </summary>
        public ClarifaiResponse Request(string method, string path, string jsonBody = null)
        {
            byte[] m = Utf8.Arg(method, "method");
            byte[] p = Utf8.Arg(path, "path");
            byte[] b = Utf8.OptionalArg(jsonBody, "jsonBody");
            ResponseHandle response;
            ErrorHandle error;
            uint r = Native.clarifai_client_request(Handle, m, p, b, out response, out error);
            Errors.Check(r, error);
            return new ClarifaiResponse(response);
        }

        /// <summary>
        /// Starts a call on the library's worker pool; no thread waits for it. The task completes on
        /// a pool thread (continuations never run on the library's worker) with the response, or
        /// faults with the exception <see cref="Call"/> would throw. A bad argument throws here.
        /// </summary>
        public Task<ClarifaiResponse> CallAsync(string endpoint, string jsonParams = null)
        {
            byte[] ep = Utf8.Arg(endpoint, "endpoint");
            byte[] p = Utf8.OptionalArg(jsonParams, "jsonParams");
            return AsyncCall.Start(Handle, ep, p);
        }

        /// <summary>
        /// Runs the calls concurrently (at most MaxConcurrency at once) and waits for all. Each call
        /// succeeds or fails alone; the results are in the order of the calls.
        /// </summary>
        public IReadOnlyList<ClarifaiCallResult> CallMany(IEnumerable<ClarifaiCall> calls)
        {
            if (calls == null)
                throw new ArgumentNullException("calls");
            var list = new List<ClarifaiCall>(calls);
            var endpoints = new byte[list.Count][];
            var parameters = new byte[list.Count][];
            for (int i = 0; i < list.Count; i++)
            {
                if (list[i] == null)
                    throw new ArgumentNullException("calls", "call " + i + " is null");
                endpoints[i] = Utf8.Arg(list[i].Endpoint, "calls[" + i + "].Endpoint");
                parameters[i] = Utf8.OptionalArg(list[i].JsonParams, "calls[" + i + "].JsonParams");
            }
            if (list.Count == 0)
                return new ClarifaiCallResult[0];

            var pins = new List<GCHandle>(2 * list.Count);
            try
            {
                IntPtr[] ep = Pin(endpoints, pins);
                IntPtr[] pp = Pin(parameters, pins);
                BatchHandle batch;
                ErrorHandle error;
                uint r = Native.clarifai_client_call_many(Handle, ep, pp, (UIntPtr)list.Count, out batch, out error);
                Errors.Check(r, error);
                return ReadBatch(batch, list.Count);
            }
            finally
            {
                foreach (GCHandle pin in pins)
                    pin.Free();
            }
        }

        private static IntPtr[] Pin(byte[][] strings, List<GCHandle> pins)
        {
            var ptrs = new IntPtr[strings.Length];
            for (int i = 0; i < strings.Length; i++)
            {
                if (strings[i] == null)
                    continue;
                GCHandle pin = GCHandle.Alloc(strings[i], GCHandleType.Pinned);
                pins.Add(pin);
                ptrs[i] = pin.AddrOfPinnedObject();
            }
            return ptrs;
        }

        // Responses and errors are borrowed from the batch: each result keeps the batch handle
        // alive, and the batch is freed once none is reachable.
        private static IReadOnlyList<ClarifaiCallResult> ReadBatch(BatchHandle batch, int expected)
        {
            int n = (int)Native.clarifai_batch_len(batch);
            if (n != expected)
                throw new InvalidOperationException("the library returned " + n + " results for " + expected + " calls");
            var results = new ClarifaiCallResult[n];
            for (int i = 0; i < n; i++)
            {
                uint r = Native.clarifai_batch_result(batch, (UIntPtr)i);
                if (r == 0)
                    results[i] = new ClarifaiCallResult(new ClarifaiResponse(batch, Native.clarifai_batch_response(batch, (UIntPtr)i), false), null);
                else
                    results[i] = new ClarifaiCallResult(null, Errors.From(ErrorInfo.Read(r, batch, Native.clarifai_batch_error(batch, (UIntPtr)i))));
            }
            return results;
        }

        /// <summary>Asks the API what this credential may do (MyScopes); later <see cref="Can"/> checks use it.</summary>
        public ClarifaiScopes MyScopes()
        {
            IntPtr json;
            ErrorHandle error;
            uint r = Native.clarifai_client_my_scopes(Handle, out json, out error);
            Errors.Check(r, error);
            return new ClarifaiScopes(Native.TakeString(json));
        }

        /// <summary>
        /// Whether this credential may call <paramref name="endpoint"/>, decided locally from the
        /// scopes (the first check of a client fetches them with MyScopes).
        /// </summary>
        public Preflight Can(string endpoint)
        {
            byte[] ep = Utf8.Arg(endpoint, "endpoint");
            ErrorHandle error;
            uint r = Native.clarifai_client_check(Handle, ep, out error);
            if (r == 0)
            {
                error.Dispose();
                return new Preflight(endpoint, true, false, null, null, null);
            }
            // A denial has status code 0 (the server was not asked); with a status, the failure
            // is the MyScopes request behind the first check, and that is an error to throw.
            var result = (ClarifaiResult)r;
            bool denial = (result == ClarifaiResult.InsufficientScopes || result == ClarifaiResult.PatRequired)
                && Native.clarifai_error_status_code(error.DangerousGetHandle()) == 0;
            if (!denial)
                throw Errors.From(r, error);
            using (error)
            {
                ErrorInfo info = ErrorInfo.Read(r, error, error.DangerousGetHandle());
                return new Preflight(endpoint, false, result == ClarifaiResult.PatRequired, info.MissingScopes, info.MissingEndpoint, info.Message);
            }
        }

        /// <summary>
        /// The value of the gRPC "authorization" metadata for the official gRPC clients
        /// ("Key …"). A secret: do not log it.
        /// </summary>
        public string GrpcMetadata()
        {
            IntPtr value;
            ErrorHandle error;
            uint r = Native.clarifai_client_grpc_metadata(Handle, out value, out error);
            Errors.Check(r, error);
            return Native.TakeString(value);
        }

        /// <summary>Creates an app owned by the PAT's user (PostApps). Needs a PAT client.</summary>
        public ClarifaiResponse CreateApp(string appId, string description = null)
        {
            byte[] app = Utf8.Arg(appId, "appId");
            byte[] desc = Utf8.OptionalArg(description, "description");
            ResponseHandle response;
            ErrorHandle error;
            uint r = Native.clarifai_client_create_app(Handle, app, desc, out response, out error);
            Errors.Check(r, error);
            return new ClarifaiResponse(response);
        }

        /// <summary>
        /// Creates an app key (PostKeys; needs a PAT client) bound to app <paramref name="appId"/>
        /// of <paramref name="userId"/> (null: the PAT's own user). Scopes in either spelling
        /// ("Inputs:Add" or "Inputs_Add"); unknown names are refused before any request.
        /// <paramref name="endpoints"/> null means every endpoint the scopes allow.
        /// </summary>
        public ClarifaiKey CreateKey(string appId, string description, IEnumerable<string> scopes, IEnumerable<string> endpoints = null, string userId = null)
        {
            byte[] app = Utf8.Arg(appId, "appId");
            byte[] desc = Utf8.Arg(description, "description", true);
            byte[] user = Utf8.OptionalArg(userId, "userId");
            byte[] scopesJson = Utf8.Bytes(MiniJson.Write(Names(scopes, "scopes")));
            byte[] endpointsJson = endpoints == null ? null : Utf8.Bytes(MiniJson.Write(Names(endpoints, "endpoints")));
            IntPtr json;
            ErrorHandle error;
            uint r = Native.clarifai_client_create_key(Handle, desc, scopesJson, endpointsJson, user, app, out json, out error);
            Errors.Check(r, error);
            return ClarifaiKey.Parse(Native.TakeString(json));
        }

        private static List<string> Names(IEnumerable<string> names, string paramName)
        {
            if (names == null)
                throw new ArgumentNullException(paramName);
            var list = new List<string>();
            foreach (string s in names)
            {
                Utf8.Arg(s, paramName);
                list.Add(s);
            }
            return list;
        }

        /// <summary>The PAT user's keys (ListKeys). Needs a PAT client.</summary>
        public IReadOnlyList<ClarifaiKey> ListKeys()
        {
            IntPtr json;
            ErrorHandle error;
            uint r = Native.clarifai_client_list_keys(Handle, out json, out error);
            Errors.Check(r, error);
            var items = MiniJson.Parse(Native.TakeString(json)) as List<object>;
            if (items == null)
                throw new FormatException("the library returned keys that are not a JSON array");
            var keys = new List<ClarifaiKey>(items.Count);
            foreach (object o in items)
            {
                var obj = o as Dictionary<string, object>;
                if (obj != null)
                    keys.Add(new ClarifaiKey(obj));
            }
            return keys;
        }

        /// <summary>Deletes a key (DeleteKey). Needs a PAT client.</summary>
        public void DeleteKey(string keyId)
        {
            byte[] id = Utf8.Arg(keyId, "keyId");
            try
            {
                ErrorHandle error;
                uint r = Native.clarifai_client_delete_key(Handle, id, out error);
                Errors.Check(r, error);
            }
            finally
            {
                Utf8.Wipe(id);
            }
        }

        /// <summary>
        /// Replaces a key: creates a new one with the same description, scopes, endpoints and app,
        /// then deletes the old one. Needs a PAT client.
        /// </summary>
        /// <exception cref="RotationIncompleteException">the new key exists but the old one could not be deleted: both work</exception>
        public ClarifaiKey RotateKey(string keyId)
        {
            byte[] id = Utf8.Arg(keyId, "keyId");
            try
            {
                IntPtr json;
                ErrorHandle error;
                uint r = Native.clarifai_client_rotate_key(Handle, id, out json, out error);
                Errors.Check(r, error);
                return ClarifaiKey.Parse(Native.TakeString(json));
            }
            finally
            {
                Utf8.Wipe(id);
            }
        }

        /// <summary>Frees the native client. Calls already started on other threads keep it alive until they return.</summary>
        public void Dispose()
        {
            handle.Dispose();
        }

        public override string ToString()
        {
            return handle.IsClosed ? "ClarifaiClient(disposed)" : "ClarifaiClient(" + CredentialKind + ")";
        }

        private ClientHandle Handle
        {
            get
            {
                if (handle.IsClosed)
                    throw new ObjectDisposedException("ClarifaiClient");
                return handle;
            }
        }
    }
}
