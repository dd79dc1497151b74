using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace Clarifai.API
{
    /// <summary>The kind of credential a client sends.</summary>
    public enum CredentialKind : uint
    {
        ApiKey = 0,
        PersonalAccessToken = 1,
        /// <summary>A deprecated legacy access token (Authorization: Bearer).</summary>
        LegacyToken = 2,
    }

    /// <summary>One app a key is bound to.</summary>
    public sealed class ClarifaiAppRef
    {
        internal ClarifaiAppRef(string userId, string appId)
        {
            UserId = userId;
            AppId = appId;
        }

        public string UserId { get; private set; }
        public string AppId { get; private set; }

        public override string ToString()
        {
            return UserId + "/" + AppId;
        }
    }

    /// <summary>
    /// An app key as CreateKey, ListKeys and RotateKey return it. <see cref="Id"/> is the key
    /// itself, a secret: <see cref="ToString"/> shows only its last four characters.
    /// </summary>
    public sealed class ClarifaiKey
    {
        internal ClarifaiKey(Dictionary<string, object> obj)
        {
            Id = MiniJson.Str(obj, "id") ?? string.Empty;
            Description = MiniJson.Str(obj, "description") ?? string.Empty;
            object v;
            Scopes = ClarifaiException.ReadOnly(MiniJson.StringList(obj.TryGetValue("scopes", out v) ? v : null));
            Endpoints = ClarifaiException.ReadOnly(MiniJson.StringList(obj.TryGetValue("endpoints", out v) ? v : null));
            var apps = new List<ClarifaiAppRef>();
            var list = obj.TryGetValue("apps", out v) ? v as List<object> : null;
            if (list != null)
                foreach (object o in list)
                {
                    var app = o as Dictionary<string, object>;
                    if (app != null)
                        apps.Add(new ClarifaiAppRef(MiniJson.Str(app, "user_id"), MiniJson.Str(app, "id")));
                }
            Apps = new ReadOnlyCollection<ClarifaiAppRef>(apps);
        }

        internal static ClarifaiKey Parse(string json)
        {
            var obj = MiniJson.Parse(json) as Dictionary<string, object>;
            if (obj == null)
                throw new FormatException("the library returned a key that is not a JSON object");
            return new ClarifaiKey(obj);
        }

        /// <summary>The key: what a client sends in "Authorization: Key …". Secret.</summary>
        public string Id { get; private set; }

        public string Description { get; private set; }

        /// <summary>Scopes as granted, docs spelling.</summary>
        public ReadOnlyCollection<string> Scopes { get; private set; }

        /// <summary>Endpoint grants; empty means every endpoint the scopes allow.</summary>
        public ReadOnlyCollection<string> Endpoints { get; private set; }

        public ReadOnlyCollection<ClarifaiAppRef> Apps { get; private set; }

        public override string ToString()
        {
            string tail = Id.Length > 4 ? Id.Substring(Id.Length - 4) : string.Empty;
            return "ClarifaiKey(…" + tail + ", \"" + Description + "\")";
        }
    }

    /// <summary>What a credential may do, as MyScopes tells it.</summary>
    public sealed class ClarifaiScopes
    {
        internal ClarifaiScopes(string json)
        {
            var obj = MiniJson.Parse(json) as Dictionary<string, object>;
            if (obj == null)
                throw new FormatException("the library returned scopes that are not a JSON object");
            object v;
            Scopes = ClarifaiException.ReadOnly(MiniJson.StringList(obj.TryGetValue("scopes", out v) ? v : null));
            Granted = ClarifaiException.ReadOnly(MiniJson.StringList(obj.TryGetValue("granted", out v) ? v : null));
            Endpoints = ClarifaiException.ReadOnly(MiniJson.StringList(obj.TryGetValue("endpoints", out v) ? v : null));
            UnknownScopes = ClarifaiException.ReadOnly(MiniJson.StringList(obj.TryGetValue("unknown_scopes", out v) ? v : null));
            var app = obj.TryGetValue("app", out v) ? v as Dictionary<string, object> : null;
            if (app != null)
                App = new ClarifaiAppRef(MiniJson.Str(app, "user_id"), MiniJson.Str(app, "app_id"));
            Json = json;
        }

        /// <summary>Every scope the credential has: the granted ones and their dependencies, docs spelling.</summary>
        public ReadOnlyCollection<string> Scopes { get; private set; }

        /// <summary>The scopes as granted.</summary>
        public ReadOnlyCollection<string> Granted { get; private set; }

        /// <summary>Endpoint grants; empty means every endpoint the scopes allow.</summary>
        public ReadOnlyCollection<string> Endpoints { get; private set; }

        /// <summary>Scope names the server sent that this library does not know.</summary>
        public ReadOnlyCollection<string> UnknownScopes { get; private set; }

        /// <summary>The app an app key belongs to; null for a PAT.</summary>
        public ClarifaiAppRef App { get; private set; }

        /// <summary>The whole answer as the library wrote it.</summary>
        public string Json { get; private set; }

        public bool Has(string scope)
        {
            return Scopes.Contains(scope);
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

        public string Endpoint { get; private set; }

        public bool Allowed { get; private set; }

        /// <summary>Denied because the endpoint refuses this kind of credential (it needs a PAT).</summary>
        public bool PatRequired { get; private set; }

        /// <summary>Scopes the credential lacks, docs spelling.</summary>
        public ReadOnlyCollection<string> MissingScopes { get; private set; }

        /// <summary>The endpoint grant the key lacks (e.g. "/clarifai.api.V2/PostInputs"), or null.</summary>
        public string MissingEndpoint { get; private set; }

        /// <summary>Why it was denied, for people; "" when allowed.</summary>
        public string Reason { get; private set; }

        public override string ToString()
        {
            return Allowed ? Endpoint + ": allowed" : Endpoint + ": denied: " + Reason;
        }
    }

    /// <summary>One call of <see cref="ClarifaiClient.CallMany"/>.</summary>
    public sealed class ClarifaiCall
    {
        public ClarifaiCall(string endpoint, string jsonParams = null)
        {
            Endpoint = endpoint;
            JsonParams = jsonParams;
        }

        public string Endpoint { get; private set; }
        public string JsonParams { get; private set; }
    }

    /// <summary>The outcome of one call of a batch: a response, or the exception it would have thrown.</summary>
    public sealed class ClarifaiCallResult
    {
        internal ClarifaiCallResult(ClarifaiResponse response, Exception error)
        {
            Response = response;
            Error = error;
        }

        public bool Succeeded
        {
            get { return Error == null; }
        }

        /// <summary>The response, or null when the call failed.</summary>
        public ClarifaiResponse Response { get; private set; }

        /// <summary>The failure (a ClarifaiException, or an ArgumentException for a refused argument), or null.</summary>
        public Exception Error { get; private set; }

        /// <summary>The response, or throws the call's exception.</summary>
        public ClarifaiResponse GetResponse()
        {
            if (Error != null)
                throw Error;
            return Response;
        }
    }
}
