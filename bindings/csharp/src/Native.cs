using System;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;

namespace Clarifai.API
{
    /// <summary>
    /// The C ABI of libclarifai (include/clarifai.h is the reference for every function here).
    /// Strings go in as NUL-terminated UTF-8 byte arrays built by <see cref="Utf8"/>, never through
    /// the marshaller's string conversion, which is ANSI/UTF-16 depending on the runtime; strings
    /// come out as pointers read by <see cref="Utf8.PtrToString"/>.
    /// </summary>
    internal static class Native
    {
        internal const string Library = "clarifai";

        [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
        internal delegate void Callback(IntPtr userdata, uint result, IntPtr response, IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr clarifai_version();

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr clarifai_result_name(uint result);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void clarifai_string_free(IntPtr s);

        // --- clients ---

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_new_api_key(byte[] apiKey, OptionsHandle opts, out ClientHandle client, out ErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_new_pat(byte[] pat, byte[] userId, byte[] appId, OptionsHandle opts, out ClientHandle client, out ErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_new_from_env(OptionsHandle opts, out ClientHandle client, out ErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_with_api_key(ClientHandle client, byte[] apiKey, out ClientHandle newClient, out ErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_with_pat(ClientHandle client, byte[] pat, byte[] userId, byte[] appId, out ClientHandle newClient, out ErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void clarifai_client_free(IntPtr client);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_credential_kind(ClientHandle client);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_call(ClientHandle client, byte[] endpoint, byte[] paramsJson, out ResponseHandle response, out ErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_request(ClientHandle client, byte[] method, byte[] path, byte[] bodyJson, out ResponseHandle response, out ErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_call_async(ClientHandle client, byte[] endpoint, byte[] paramsJson, IntPtr callback, IntPtr userdata, out ErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_call_many(ClientHandle client, IntPtr[] endpoints, IntPtr[] paramsJson, UIntPtr count, out BatchHandle batch, out ErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_my_scopes(ClientHandle client, out IntPtr json, out ErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_check(ClientHandle client, byte[] endpoint, out ErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_grpc_metadata(ClientHandle client, out IntPtr value, out ErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_create_app(ClientHandle client, byte[] appId, byte[] description, out ResponseHandle response, out ErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_create_key(ClientHandle client, byte[] description, byte[] scopesJson, byte[] endpointsJson, byte[] userId, byte[] appId, out IntPtr keyJson, out ErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_list_keys(ClientHandle client, out IntPtr json, out ErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_delete_key(ClientHandle client, byte[] keyId, out ErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_rotate_key(ClientHandle client, byte[] keyId, out IntPtr keyJson, out ErrorHandle error);

        // --- batches (responses and errors in them are borrowed from the batch) ---

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern UIntPtr clarifai_batch_len(BatchHandle batch);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_batch_result(BatchHandle batch, UIntPtr index);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr clarifai_batch_response(BatchHandle batch, UIntPtr index);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr clarifai_batch_error(BatchHandle batch, UIntPtr index);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void clarifai_batch_free(IntPtr batch);

        // --- errors (raw pointers: an error may be borrowed from a batch) ---

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_error_result(IntPtr err);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr clarifai_error_message(IntPtr err);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_error_status_code(IntPtr err);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern ushort clarifai_error_http_status(IntPtr err);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr clarifai_error_description(IntPtr err);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr clarifai_error_details(IntPtr err);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr clarifai_error_req_id(IntPtr err);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern UIntPtr clarifai_error_missing_scopes_count(IntPtr err);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr clarifai_error_missing_scope(IntPtr err, UIntPtr index);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr clarifai_error_missing_endpoint(IntPtr err);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern long clarifai_error_retry_after_secs(IntPtr err);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr clarifai_error_header(IntPtr err, byte[] name);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void clarifai_error_free(IntPtr err);

        // --- options ---

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern OptionsHandle clarifai_client_options_new();

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void clarifai_client_options_free(IntPtr opts);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_options_set_base_url(OptionsHandle opts, byte[] url, out ErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_options_set_connect_timeout_ms(OptionsHandle opts, ulong ms, out ErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_options_set_timeout_ms(OptionsHandle opts, ulong ms, out ErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_options_set_ca_file(OptionsHandle opts, byte[] path, out ErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_options_set_user_agent(OptionsHandle opts, byte[] userAgent, out ErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_options_set_max_concurrency(OptionsHandle opts, UIntPtr n, out ErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_options_set_max_retries(OptionsHandle opts, uint n, out ErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_options_set_max_response_bytes(OptionsHandle opts, ulong n, out ErrorHandle error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_client_options_set_danger_allow_insecure_http(OptionsHandle opts, [MarshalAs(UnmanagedType.I1)] bool allow, out ErrorHandle error);

        // --- responses (raw pointers: a response may be borrowed from a batch) ---

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern ushort clarifai_response_http_status(IntPtr resp);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern uint clarifai_response_status_code(IntPtr resp);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr clarifai_response_description(IntPtr resp);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr clarifai_response_details(IntPtr resp);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr clarifai_response_req_id(IntPtr resp);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr clarifai_response_json(IntPtr resp);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr clarifai_response_header(IntPtr resp, byte[] name);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void clarifai_response_free(IntPtr resp);

        /// <summary>Takes an owned string out of the library: copies it, then frees (and so wipes) it.</summary>
        internal static string TakeString(IntPtr owned)
        {
            try
            {
                return Utf8.PtrToString(owned);
            }
            finally
            {
                clarifai_string_free(owned);
            }
        }
    }

    /// <summary>
    /// Points DllImport("clarifai") at the file named by CLARIFAI_NATIVE_LIB, when it is set.
    ///
    /// It must run before the JIT compiles any method that calls into <see cref="Native"/>: Mono
    /// resolves a P/Invoke when it compiles its caller and keeps a failure for good. So every
    /// public entry that can be the first to reach native code calls <see cref="EnsureLoaded"/>
    /// and then a separate, non-inlined method that does the calls.
    ///
    /// On Mono the override is a runtime dllmap entry (mono_dllmap_insert, the same table the
    /// Clarifai.API.dll.config file feeds). Preloading with dlopen is not enough there: Mono asks
    /// dlopen for "libclarifai.so", which does not match an already loaded library whose soname is
    /// libclarifai.so.0. On .NET Core 3+ it is NativeLibrary.SetDllImportResolver, reached by
    /// reflection since netstandard2.0 does not declare it.
    /// </summary>
    internal static class NativeLoader
    {
        private const string PathVariable = "CLARIFAI_NATIVE_LIB";
        private static readonly object Gate = new object();
        private static bool done;
        private static string overridePath;

        [DllImport("__Internal", EntryPoint = "mono_dllmap_insert", CallingConvention = CallingConvention.Cdecl)]
        private static extern void MonoDllMapInsert(IntPtr assembly, byte[] dll, byte[] func, byte[] tdll, byte[] tfunc);

        internal static void EnsureLoaded()
        {
            if (Volatile.Read(ref done))
                return;
            lock (Gate)
            {
                if (done)
                    return;
                string path = Environment.GetEnvironmentVariable(PathVariable);
                if (!string.IsNullOrEmpty(path))
                {
                    if (!File.Exists(path))
                        throw new DllNotFoundException(PathVariable + " names a file that does not exist: " + path);
                    overridePath = Path.GetFullPath(path);
                    if (Type.GetType("Mono.Runtime") != null)
                        MonoDllMapInsert(IntPtr.Zero, Utf8.Bytes(Native.Library), null, Utf8.Bytes(overridePath), null);
                    else
                        InstallCoreResolver();
                }
                Volatile.Write(ref done, true);
            }
        }

        private static void InstallCoreResolver()
        {
            Type nativeLibrary = Type.GetType("System.Runtime.InteropServices.NativeLibrary");
            Type resolverType = Type.GetType("System.Runtime.InteropServices.DllImportResolver");
            if (nativeLibrary == null || resolverType == null)
                throw new PlatformNotSupportedException(PathVariable + " needs Mono or .NET Core 3.0 or later");
            MethodInfo set = nativeLibrary.GetMethod("SetDllImportResolver", new[] { typeof(Assembly), resolverType });
            MethodInfo resolve = typeof(NativeLoader).GetMethod("Resolve", BindingFlags.NonPublic | BindingFlags.Static);
            set.Invoke(null, new object[] { typeof(NativeLoader).Assembly, Delegate.CreateDelegate(resolverType, resolve) });
        }

        // Signature of System.Runtime.InteropServices.DllImportResolver.
        private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
        {
            if (libraryName != Native.Library)
                return IntPtr.Zero;
            Type nativeLibrary = Type.GetType("System.Runtime.InteropServices.NativeLibrary");
            MethodInfo load = nativeLibrary.GetMethod("Load", new[] { typeof(string) });
            return (IntPtr)load.Invoke(null, new object[] { overridePath });
        }
    }

    /// <summary>UTF-8 both ways, without relying on marshaller string conversions.</summary>
    internal static class Utf8
    {
        /// <summary>NUL-terminated UTF-8 of <paramref name="s"/>, or null for null.</summary>
        internal static byte[] Bytes(string s)
        {
            if (s == null)
                return null;
            int n = Encoding.UTF8.GetByteCount(s);
            byte[] b = new byte[n + 1];
            Encoding.UTF8.GetBytes(s, 0, s.Length, b, 0);
            return b;
        }

        /// <summary>
        /// Checks an argument the way the C side cannot: a C string ends at its first NUL, so an
        /// embedded one would silently cut the value short.
        /// </summary>
        internal static byte[] Arg(string s, string paramName, bool allowEmpty = false)
        {
            if (s == null)
                throw new ArgumentNullException(paramName);
            if (!allowEmpty && s.Length == 0)
                throw new ArgumentException("must not be empty", paramName);
            if (s.IndexOf('\0') >= 0)
                throw new ArgumentException("must not contain a NUL character", paramName);
            return Bytes(s);
        }

        /// <summary>Like <see cref="Arg"/>, but null stays null (an optional argument).</summary>
        internal static byte[] OptionalArg(string s, string paramName)
        {
            return s == null ? null : Arg(s, paramName, true);
        }

        /// <summary>Overwrites a buffer that held a secret once the library has copied it.</summary>
        internal static void Wipe(byte[] b)
        {
            if (b != null)
                Array.Clear(b, 0, b.Length);
        }

        internal static unsafe string PtrToString(IntPtr p)
        {
            if (p == IntPtr.Zero)
                return null;
            byte* s = (byte*)p;
            int n = 0;
            while (s[n] != 0)
                n++;
            return n == 0 ? string.Empty : Encoding.UTF8.GetString(s, n);
        }
    }
}
