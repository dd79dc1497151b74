using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace Clarifai.API
{
    /// <summary>
    /// A Clarifai API client: a credential, settings and a keep-alive connection pool in the native
    /// library. Thread-safe: share one client between any number of threads and calls. Dispose it
    /// when done (the finalizer frees it otherwise); asynchronous calls already started still
    /// complete after Dispose. The credential lives in native memory only: nothing here shows it.
    /// </summary>
    /// <example><code>
    /// using (var client = new ClarifaiClient("YOUR_API_KEY"))
    /// {
    ///     var response = client.Call("ListInputs", "{\"per_page\": 1}");
    ///     Console.WriteLine(response.Json);
    /// }
    /// </code></example>
    [DebuggerDisplay("{ToString(),nq}")]
    public sealed class ClarifaiClient : IDisposable
    {
        private readonly ClientHandle handle;

        /// <summary>A client authorizing with an app-specific API key.</summary>
        /// <exception cref="ClarifaiArgumentException">an empty key, or one with whitespace, control or non-ASCII characters</exception>
        /// <exception cref="DllNotFoundException">libclarifai was not found (the message names every place tried)</exception>
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
            return new ClarifaiClient(NewOther(options, true));
        }

        /// <summary>
        /// A client with no credential of its own: its calls carry no Authorization header (the API
        /// answers them with an <see cref="InvalidRequestException"/>), while the clients made from
        /// it with <see cref="WithApiKey"/> and <see cref="WithPersonalAccessToken"/> carry theirs
        /// and share its connections: one pool for calls that each bring their own credential.
        /// </summary>
        public static ClarifaiClient WithoutCredential(ClarifaiClientOptions options = null)
        {
            NativeLoader.EnsureLoaded();
            return new ClarifaiClient(NewOther(options, false));
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

        /// <summary>
        /// The file libclarifai was loaded from (CLARIFAI_LIBRARY, the package's
        /// runtimes/linux-x64/native folder, or the system loader's search), loading it if needed.
        /// </summary>
        public static string NativeLibraryPath
        {
            get
            {
                NativeLoader.EnsureLoaded();
                return NativeLoader.LoadedPath;
            }
        }

        /// <summary>
        /// The number of worker threads of the library's runtime (one per process; it runs every
        /// request). Takes effect when the runtime starts, at the process's first call: set it
        /// before that. The library checks the count (1 to CLARIFAI_MAX_RUNTIME_WORKER_THREADS);
        /// the default is CLARIFAI_DEFAULT_RUNTIME_WORKER_THREADS or CLARIFAI_RUNTIME_THREADS.
        /// </summary>
        /// <exception cref="ClarifaiArgumentException">a count out of range</exception>
        /// <exception cref="ClarifaiStateException">the runtime already runs with another count</exception>
        public static void SetRuntimeWorkerThreads(uint count)
        {
            NativeLoader.EnsureLoaded();
            SetWorkerThreads(count);
        }

        // The statics below are the first methods to call into the library, so they stay out of
        // line: Mono binds P/Invokes when it compiles the caller, which must happen after
        // NativeLoader has pointed DllImport("clarifai") at the library it found.

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static ClientHandle NewApiKey(string apiKey, ClarifaiClientOptions options)
        {
            byte[] key = Utf8.Arg(apiKey, "apiKey");
            try
            {
                using (ClientOptionsHandle opts = ClarifaiClientOptions.ToNative(options))
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
                using (ClientOptionsHandle opts = ClarifaiClientOptions.ToNative(options))
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
        private static ClientHandle NewOther(ClarifaiClientOptions options, bool fromEnvironment)
        {
            using (ClientOptionsHandle opts = ClarifaiClientOptions.ToNative(options))
            {
                ClientHandle client;
                ErrorHandle error;
                uint r = fromEnvironment
                    ? Native.clarifai_client_new_from_env(opts, out client, out error)
                    : Native.clarifai_client_new_without_credential(opts, out client, out error);
                Errors.Check(r, error);
                return client;
            }
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static string ReadVersion()
        {
            return Utf8.PtrToString(Native.clarifai_version());
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void SetWorkerThreads(uint count)
        {
            ErrorHandle error;
            uint r = Native.clarifai_runtime_set_worker_threads((UIntPtr)count, out error);
            Errors.Check(r, error);
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
        /// user_app_id from the parameters or, for a PAT, from the client. Blocks for one call.
        /// </summary>
        /// <exception cref="UnknownEndpointException">no RPC of that name</exception>
        /// <exception cref="ClarifaiArgumentException">parameters that are not a JSON object</exception>
        /// <exception cref="ClarifaiException">the API refused the call, or it never got an answer (a subclass says which)</exception>
        public ClarifaiResponse Call(string endpoint, string jsonParams = null)
        {
            return Call(endpoint, jsonParams, null, CancellationToken.None);
        }

        /// <summary>
        /// <see cref="Call(string, string)"/>, cancelled by <paramref name="cancellationToken"/>
        /// from any thread: the request is abandoned at once (the server sees it aborted) and this
        /// throws <see cref="OperationCanceledException"/>.
        /// </summary>
        public ClarifaiResponse Call(string endpoint, string jsonParams, CancellationToken cancellationToken)
        {
            return Call(endpoint, jsonParams, null, cancellationToken);
        }

        /// <summary><see cref="Call(string, string, CancellationToken)"/> with this call's own settings (its timeout).</summary>
        public ClarifaiResponse Call(string endpoint, string jsonParams, ClarifaiCallOptions options, CancellationToken cancellationToken = default(CancellationToken))
        {
            byte[] ep = Utf8.Arg(endpoint, "endpoint");
            byte[] p = Utf8.OptionalArg(jsonParams, "jsonParams");
            ClientHandle client = Handle;
            cancellationToken.ThrowIfCancellationRequested();
            using (NativeCallOptions o = NativeCallOptions.Create(options, cancellationToken))
            {
                ResponseHandle response;
                ErrorHandle error;
                uint r = Native.clarifai_client_call_with_options(client, ep, p, NativeCallOptions.HandleOf(o), out response, out error);
                Errors.Check(r, error, cancellationToken);
                return new ClarifaiResponse(response);
            }
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
        /// Starts a call on the library's runtime; no thread waits for it. The task completes on a
        /// pool thread (continuations never run on the library's thread) with the response, or
        /// faults with the exception <see cref="Call(string, string)"/> would throw. A bad
        /// argument throws here.
        /// </summary>
        public Task<ClarifaiResponse> CallAsync(string endpoint, string jsonParams = null)
        {
            return CallAsync(endpoint, jsonParams, null, CancellationToken.None);
        }

        /// <summary>
        /// <see cref="CallAsync(string, string)"/>, cancelled by <paramref name="cancellationToken"/>:
        /// the request is abandoned at once (the server sees it aborted) and the task completes as
        /// canceled (awaiting it throws <see cref="TaskCanceledException"/>), unless the answer was
        /// already being delivered.
        /// </summary>
        public Task<ClarifaiResponse> CallAsync(string endpoint, string jsonParams, CancellationToken cancellationToken)
        {
            return CallAsync(endpoint, jsonParams, null, cancellationToken);
        }

        /// <summary><see cref="CallAsync(string, string, CancellationToken)"/> with this call's own settings (its timeout).</summary>
        public Task<ClarifaiResponse> CallAsync(string endpoint, string jsonParams, ClarifaiCallOptions options, CancellationToken cancellationToken = default(CancellationToken))
        {
            byte[] ep = Utf8.Arg(endpoint, "endpoint");
            byte[] p = Utf8.OptionalArg(jsonParams, "jsonParams");
            return AsyncCall.Start(Handle, ep, p, options, cancellationToken);
        }

        /// <summary>
        /// Runs the calls concurrently (at most MaxConcurrency at once) and waits for all. Each call
        /// succeeds or fails alone; the results are in the order of the calls.
        /// </summary>
        public IReadOnlyList<ClarifaiCallResult> CallMany(IEnumerable<ClarifaiCall> calls)
        {
            return CallMany(calls, null, CancellationToken.None);
        }

        /// <summary>
        /// <see cref="CallMany(IEnumerable{ClarifaiCall})"/>, cancelled by
        /// <paramref name="cancellationToken"/>: the calls still running are abandoned and this
        /// throws <see cref="OperationCanceledException"/> (unless every call had already finished).
        /// </summary>
        public IReadOnlyList<ClarifaiCallResult> CallMany(IEnumerable<ClarifaiCall> calls, CancellationToken cancellationToken)
        {
            return CallMany(calls, null, cancellationToken);
        }

        /// <summary><see cref="CallMany(IEnumerable{ClarifaiCall}, CancellationToken)"/> with settings for every call (each call's timeout).</summary>
        public IReadOnlyList<ClarifaiCallResult> CallMany(IEnumerable<ClarifaiCall> calls, ClarifaiCallOptions options, CancellationToken cancellationToken = default(CancellationToken))
        {
            ClientHandle client = Handle;
            using (Batch.Calls c = Batch.Calls.Of(calls))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (c.Count == 0)
                    return new ClarifaiCallResult[0];
                using (NativeCallOptions o = NativeCallOptions.Create(options, cancellationToken))
                {
                    BatchHandle batch;
                    ErrorHandle error;
                    uint r = Native.clarifai_client_call_many_with_options(client, c.Endpoints.Pointers, c.Params.Pointers, c.Endpoints.Count,
                        NativeCallOptions.HandleOf(o), out batch, out error);
                    Errors.Check(r, error, cancellationToken);
                    IReadOnlyList<ClarifaiCallResult> results = Batch.Read(batch, c.Count, cancellationToken);
                    if (results == null)
                        throw new OperationCanceledException(cancellationToken);
                    return results;
                }
            }
        }

        /// <summary>
        /// Starts the calls concurrently (as <see cref="CallMany(IEnumerable{ClarifaiCall})"/>)
        /// without waiting: the task completes with every call's result, in order.
        /// </summary>
        public Task<IReadOnlyList<ClarifaiCallResult>> CallManyAsync(IEnumerable<ClarifaiCall> calls)
        {
            return CallManyAsync(calls, null, CancellationToken.None);
        }

        /// <summary>
        /// <see cref="CallManyAsync(IEnumerable{ClarifaiCall})"/>, cancelled by
        /// <paramref name="cancellationToken"/>: the calls still running are abandoned and the task
        /// completes as canceled (unless every call had already finished).
        /// </summary>
        public Task<IReadOnlyList<ClarifaiCallResult>> CallManyAsync(IEnumerable<ClarifaiCall> calls, CancellationToken cancellationToken)
        {
            return CallManyAsync(calls, null, cancellationToken);
        }

        /// <summary><see cref="CallManyAsync(IEnumerable{ClarifaiCall}, CancellationToken)"/> with settings for every call (each call's timeout).</summary>
        public Task<IReadOnlyList<ClarifaiCallResult>> CallManyAsync(IEnumerable<ClarifaiCall> calls, ClarifaiCallOptions options, CancellationToken cancellationToken = default(CancellationToken))
        {
            return AsyncCall.StartMany(Handle, calls, options, cancellationToken);
        }

        /// <summary>Asks the API what this credential may do (MyScopes); later <see cref="Can"/> checks use it.</summary>
        public ClarifaiScopes MyScopes()
        {
            ScopesHandle scopes;
            ErrorHandle error;
            uint r = Native.clarifai_client_my_scopes(Handle, out scopes, out error);
            Errors.Check(r, error);
            return new ClarifaiScopes(scopes);
        }

        /// <summary>
        /// Whether this credential may call <paramref name="endpoint"/>, decided locally from the
        /// scopes (the first check of a client fetches them with MyScopes).
        /// </summary>
        /// <exception cref="ClarifaiException">the scopes could not be fetched (a key without MyScopes gets a <see cref="MissingScopesException"/> naming it)</exception>
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
                && Errors.Native.clarifai_error_status_code(error.DangerousGetHandle()) == 0;
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
            return Interop.TakeString(value);
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
        /// <paramref name="endpoints"/> null or empty means every endpoint the scopes allow.
        /// The new key's <see cref="ClarifaiKey.Id"/> is the new secret.
        /// </summary>
        public ClarifaiKey CreateKey(string appId, string description, IEnumerable<string> scopes, IEnumerable<string> endpoints = null, string userId = null)
        {
            byte[] app = Utf8.Arg(appId, "appId");
            byte[] desc = Utf8.OptionalArg(description, "description");
            byte[] user = Utf8.OptionalArg(userId, "userId");
            ClientHandle client = Handle;
            using (Utf8Array s = Utf8Array.Of(scopes, "scopes"))
            using (Utf8Array e = endpoints == null ? null : Utf8Array.Of(endpoints, "endpoints"))
            {
                KeyHandle key;
                ErrorHandle error;
                uint r = Native.clarifai_client_create_key(client, desc, s.Pointers, s.Count,
                    e == null ? null : e.Pointers, e == null ? UIntPtr.Zero : e.Count, user, app, out key, out error);
                Errors.Check(r, error);
                return new ClarifaiKey(key);
            }
        }

        /// <summary>The PAT user's keys (ListKeys). Needs a PAT client. Dispose the list to wipe the keys.</summary>
        public ClarifaiKeyList ListKeys()
        {
            KeyListHandle list;
            ErrorHandle error;
            uint r = Native.clarifai_client_list_keys(Handle, out list, out error);
            Errors.Check(r, error);
            return new ClarifaiKeyList(list);
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
                KeyHandle key;
                ErrorHandle error;
                uint r = Native.clarifai_client_rotate_key(Handle, id, out key, out error);
                Errors.Check(r, error);
                return new ClarifaiKey(key);
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

        /// <summary>The kind of credential, never the credential.</summary>
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

        internal static class Native
        {
            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_version();

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_runtime_set_worker_threads(UIntPtr n, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_new_api_key(byte[] apiKey, ClientOptionsHandle opts, out ClientHandle client, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_new_pat(byte[] pat, byte[] userId, byte[] appId, ClientOptionsHandle opts, out ClientHandle client, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_new_from_env(ClientOptionsHandle opts, out ClientHandle client, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_new_without_credential(ClientOptionsHandle opts, out ClientHandle client, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_with_api_key(ClientHandle client, byte[] apiKey, out ClientHandle newClient, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_with_pat(ClientHandle client, byte[] pat, byte[] userId, byte[] appId, out ClientHandle newClient, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern void clarifai_client_free(IntPtr client);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_credential_kind(ClientHandle client);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_call_with_options(ClientHandle client, byte[] endpoint, byte[] paramsJson, CallOptionsHandle opts, out ResponseHandle response, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_request(ClientHandle client, byte[] method, byte[] path, byte[] bodyJson, out ResponseHandle response, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_call_many_with_options(ClientHandle client, IntPtr[] endpoints, IntPtr[] paramsJson, UIntPtr count, CallOptionsHandle opts, out BatchHandle batch, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_my_scopes(ClientHandle client, out ScopesHandle scopes, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_check(ClientHandle client, byte[] endpoint, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_grpc_metadata(ClientHandle client, out IntPtr value, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_create_app(ClientHandle client, byte[] appId, byte[] description, out ResponseHandle response, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_create_key(ClientHandle client, byte[] description, IntPtr[] scopes, UIntPtr scopeCount,
                IntPtr[] endpoints, UIntPtr endpointCount, byte[] userId, byte[] appId, out KeyHandle key, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_list_keys(ClientHandle client, out KeyListHandle list, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_delete_key(ClientHandle client, byte[] keyId, out ErrorHandle error);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern uint clarifai_client_rotate_key(ClientHandle client, byte[] keyId, out KeyHandle key, out ErrorHandle error);
        }
    }
}
