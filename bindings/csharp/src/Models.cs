using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Clarifai.API
{
    /// <summary>One app: its owner's user id and its id.</summary>
    public sealed class ClarifaiAppRef
    {
        internal ClarifaiAppRef(string userId, string appId)
        {
            UserId = userId;
            AppId = appId;
        }

        /// <summary>The owner's user id.</summary>
        public string UserId { get; private set; }

        /// <summary>The app id.</summary>
        public string AppId { get; private set; }

        /// <inheritdoc />
        public override string ToString()
        {
            return UserId + "/" + AppId;
        }
    }

    /// <summary>
    /// An app key as CreateKey, ListKeys and RotateKey return it (a <c>clarifai_key</c>).
    /// <see cref="Id"/> is the key itself, a secret: it stays in native memory, wiped on Dispose,
    /// and becomes a .NET string only when read. <see cref="ToString"/> and the debugger show
    /// only its last four characters.
    /// </summary>
    [DebuggerDisplay("{ToString(),nq}")]
    public sealed class ClarifaiKey : IDisposable
    {
        // The native key's owner: its own handle, or the list it is borrowed from.
        private readonly SafeHandle owner;
        private readonly IntPtr key;
        private readonly bool ownsOwner;
        private readonly string tail;

        internal ClarifaiKey(KeyHandle handle) : this(handle, handle.DangerousGetHandle(), true)
        {
        }

        internal ClarifaiKey(SafeHandle owner, IntPtr key, bool ownsOwner)
        {
            this.owner = owner;
            this.key = key;
            this.ownsOwner = ownsOwner;
            tail = Utf8.Tail(Native.clarifai_key_id(key), 4);
            Description = Utf8.PtrToString(Native.clarifai_key_description(key)) ?? string.Empty;
            Scopes = ClarifaiException.ReadOnly(Strings(key, Native.clarifai_key_scope_count, Native.clarifai_key_scope));
            Endpoints = ClarifaiException.ReadOnly(Strings(key, Native.clarifai_key_endpoint_count, Native.clarifai_key_endpoint));
            int apps = (int)Native.clarifai_key_app_count(key);
            var list = new ClarifaiAppRef[apps];
            for (int i = 0; i < apps; i++)
                list[i] = new ClarifaiAppRef(Utf8.PtrToString(Native.clarifai_key_app_user_id(key, (UIntPtr)i)), Utf8.PtrToString(Native.clarifai_key_app_id(key, (UIntPtr)i)));
            Apps = new ReadOnlyCollection<ClarifaiAppRef>(list);
        }

        internal static string[] Strings(IntPtr p, Func<IntPtr, UIntPtr> count, Func<IntPtr, UIntPtr, IntPtr> item)
        {
            int n = (int)count(p);
            var s = new string[n];
            for (int i = 0; i < n; i++)
                s[i] = Utf8.PtrToString(item(p, (UIntPtr)i));
            return s;
        }

        /// <summary>The key: what a client sends in "Authorization: Key …". Secret: read it only to use it.</summary>
        /// <exception cref="ObjectDisposedException">after Dispose (or the list's Dispose)</exception>
        [DebuggerBrowsable(DebuggerBrowsableState.Never)]
        public string Id
        {
            get
            {
                bool added = false;
                try
                {
                    owner.DangerousAddRef(ref added);
                    return Utf8.PtrToString(Native.clarifai_key_id(key));
                }
                finally
                {
                    if (added)
                        owner.DangerousRelease();
                }
            }
        }

        /// <summary>The key's description ("" when none).</summary>
        public string Description { get; private set; }

        /// <summary>Scopes as granted, docs spelling.</summary>
        public ReadOnlyCollection<string> Scopes { get; private set; }

        /// <summary>Endpoint grants; empty means every endpoint the scopes allow.</summary>
        public ReadOnlyCollection<string> Endpoints { get; private set; }

        /// <summary>The apps the key is bound to (an app key: one).</summary>
        public ReadOnlyCollection<ClarifaiAppRef> Apps { get; private set; }

        /// <summary>Frees (and wipes) the native key now; everything but <see cref="Id"/> stays readable.</summary>
        public void Dispose()
        {
            if (ownsOwner)
                owner.Dispose();
        }

        /// <summary>The key by its last four characters and its description; never the whole key.</summary>
        public override string ToString()
        {
            return "ClarifaiKey(…" + tail + ", \"" + Description + "\")";
        }

        internal static class Native
        {
            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_key_id(IntPtr key);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_key_description(IntPtr key);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern UIntPtr clarifai_key_scope_count(IntPtr key);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_key_scope(IntPtr key, UIntPtr i);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern UIntPtr clarifai_key_endpoint_count(IntPtr key);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_key_endpoint(IntPtr key, UIntPtr i);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern UIntPtr clarifai_key_app_count(IntPtr key);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_key_app_user_id(IntPtr key, UIntPtr i);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_key_app_id(IntPtr key, UIntPtr i);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern void clarifai_key_free(IntPtr key);
        }
    }

    /// <summary>
    /// The keys of a user (a <c>clarifai_key_list</c>), in the order the API listed them. Its keys
    /// are borrowed from it: Dispose frees (and wipes) them all.
    /// </summary>
    [DebuggerDisplay("Count = {Count}")]
    public sealed class ClarifaiKeyList : IReadOnlyList<ClarifaiKey>, IDisposable
    {
        private readonly KeyListHandle handle;
        private readonly ClarifaiKey[] keys;

        internal ClarifaiKeyList(KeyListHandle handle)
        {
            this.handle = handle;
            int n = (int)Native.clarifai_key_list_len(handle);
            keys = new ClarifaiKey[n];
            for (int i = 0; i < n; i++)
                keys[i] = new ClarifaiKey(handle, Native.clarifai_key_list_get(handle, (UIntPtr)i), false);
        }

        /// <summary>The number of keys.</summary>
        public int Count
        {
            get { return keys.Length; }
        }

        /// <summary>Key <paramref name="index"/>.</summary>
        public ClarifaiKey this[int index]
        {
            get { return keys[index]; }
        }

        /// <inheritdoc />
        public IEnumerator<ClarifaiKey> GetEnumerator()
        {
            return ((IEnumerable<ClarifaiKey>)keys).GetEnumerator();
        }

        IEnumerator IEnumerable.GetEnumerator()
        {
            return GetEnumerator();
        }

        /// <summary>Frees (and wipes) every key of the list.</summary>
        public void Dispose()
        {
            handle.Dispose();
        }

        /// <inheritdoc />
        public override string ToString()
        {
            return "ClarifaiKeyList(" + keys.Length + " keys)";
        }

        internal static class Native
        {
            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern UIntPtr clarifai_key_list_len(KeyListHandle list);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_key_list_get(KeyListHandle list, UIntPtr i);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern void clarifai_key_list_free(IntPtr list);
        }
    }

    /// <summary>What a credential may do, as MyScopes said (a <c>clarifai_scopes</c>).</summary>
    public sealed class ClarifaiScopes : IDisposable
    {
        private readonly ScopesHandle handle;

        internal ClarifaiScopes(ScopesHandle handle)
        {
            this.handle = handle;
            IntPtr p = handle.DangerousGetHandle();
            Scopes = ClarifaiException.ReadOnly(ClarifaiKey.Strings(p, Native.clarifai_scopes_count, Native.clarifai_scopes_get));
            Granted = ClarifaiException.ReadOnly(ClarifaiKey.Strings(p, Native.clarifai_scopes_granted_count, Native.clarifai_scopes_granted));
            Endpoints = ClarifaiException.ReadOnly(ClarifaiKey.Strings(p, Native.clarifai_scopes_endpoint_count, Native.clarifai_scopes_endpoint));
            EndpointGrants = ClarifaiException.ReadOnly(ClarifaiKey.Strings(p, Native.clarifai_scopes_endpoint_grant_count, Native.clarifai_scopes_endpoint_grant));
            UnknownScopes = ClarifaiException.ReadOnly(ClarifaiKey.Strings(p, Native.clarifai_scopes_unknown_count, Native.clarifai_scopes_unknown));
            string user = Utf8.PtrToString(Native.clarifai_scopes_app_user_id(p));
            string app = Utf8.PtrToString(Native.clarifai_scopes_app_id(p));
            if (user != null || app != null)
                App = new ClarifaiAppRef(user, app);
        }

        /// <summary>Every scope the credential has: the granted ones and their dependencies, docs spelling.</summary>
        public ReadOnlyCollection<string> Scopes { get; private set; }

        /// <summary>The scopes as granted.</summary>
        public ReadOnlyCollection<string> Granted { get; private set; }

        /// <summary>The endpoints MyScopes says the credential may call (e.g. "/clarifai.api.V2/ListInputs").</summary>
        public ReadOnlyCollection<string> Endpoints { get; private set; }

        /// <summary>The endpoints the credential is limited to; empty when it has no endpoint limit.</summary>
        public ReadOnlyCollection<string> EndpointGrants { get; private set; }

        /// <summary>Scope names the server sent that this library does not know.</summary>
        public ReadOnlyCollection<string> UnknownScopes { get; private set; }

        /// <summary>The app an app key belongs to; null when the API did not say (a PAT).</summary>
        public ClarifaiAppRef App { get; private set; }

        /// <summary>Whether the credential has <paramref name="scope"/> (either spelling: "Inputs:Add" or "Inputs_Add"), dependencies counted.</summary>
        /// <exception cref="ObjectDisposedException">after Dispose</exception>
        public bool Has(string scope)
        {
            return Native.clarifai_scopes_contains(handle, Utf8.Arg(scope, "scope"));
        }

        /// <summary>Frees the native scopes; only <see cref="Has"/> needs them.</summary>
        public void Dispose()
        {
            handle.Dispose();
        }

        internal static class Native
        {
            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern UIntPtr clarifai_scopes_count(IntPtr s);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_scopes_get(IntPtr s, UIntPtr i);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern UIntPtr clarifai_scopes_granted_count(IntPtr s);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_scopes_granted(IntPtr s, UIntPtr i);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern UIntPtr clarifai_scopes_endpoint_count(IntPtr s);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_scopes_endpoint(IntPtr s, UIntPtr i);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern UIntPtr clarifai_scopes_endpoint_grant_count(IntPtr s);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_scopes_endpoint_grant(IntPtr s, UIntPtr i);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern UIntPtr clarifai_scopes_unknown_count(IntPtr s);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_scopes_unknown(IntPtr s, UIntPtr i);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_scopes_app_user_id(IntPtr s);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern IntPtr clarifai_scopes_app_id(IntPtr s);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            [return: MarshalAs(UnmanagedType.I1)]
            internal static extern bool clarifai_scopes_contains(ScopesHandle s, byte[] scope);

            [DllImport(Interop.Library, CallingConvention = CallingConvention.Cdecl)]
            internal static extern void clarifai_scopes_free(IntPtr s);
        }
    }

    /// <summary>Whether a credential may call an endpoint, decided without calling it.</summary>
    public sealed class Preflight
    {
        internal Preflight(string endpoint, bool allowed, bool patRequired, IList<string> missingScopes, string missingEndpoint, string reason)
        {
            Endpoint = endpoint;
            Allowed = allowed;
            PatRequired = patRequired;
            MissingScopes = ClarifaiException.ReadOnly(missingScopes);
            MissingEndpoint = missingEndpoint;
            Reason = reason ?? string.Empty;
        }

        /// <summary>The endpoint asked about.</summary>
        public string Endpoint { get; private set; }

        /// <summary>Whether the credential may call it.</summary>
        public bool Allowed { get; private set; }

        /// <summary>Denied because the endpoint refuses this kind of credential (it needs a PAT).</summary>
        public bool PatRequired { get; private set; }

        /// <summary>Scopes the credential lacks, docs spelling.</summary>
        public ReadOnlyCollection<string> MissingScopes { get; private set; }

        /// <summary>The endpoint grant the key lacks (e.g. "/clarifai.api.V2/PostInputs"), or null.</summary>
        public string MissingEndpoint { get; private set; }

        /// <summary>Why it was denied, for people; "" when allowed.</summary>
        public string Reason { get; private set; }

        /// <inheritdoc />
        public override string ToString()
        {
            return Allowed ? Endpoint + ": allowed" : Endpoint + ": denied: " + Reason;
        }
    }
}
