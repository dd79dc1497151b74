using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Runtime.InteropServices;

namespace Clarifai.API
{
    /// <summary>
    /// A failed Clarifai call: the base of every exception this library throws (docs/errors.md
    /// maps each result to its class), and itself the class of the Internal kind (a bug in the
    /// library). Carries what the library said (result and message) and, when the API answered,
    /// its status (StatusCode 0 when it gave none, HttpStatus 0 when there was no answer). Never
    /// carries a credential: the library redacts its own from anything a server echoes.
    /// </summary>
    public class ClarifaiException : Exception
    {
        private static readonly ReadOnlyCollection<string> None = new ReadOnlyCollection<string>(new string[0]);
        private readonly SafeHandle owner;
        private readonly IntPtr error;

        internal ClarifaiException(ErrorInfo info)
            : base(info.Message)
        {
            Result = info.Result;
            ResultName = info.ResultName;
            StatusCode = info.StatusCode;
            HttpStatus = info.HttpStatus;
            Description = info.Description;
            Details = info.Details;
            ReqId = info.ReqId;
            MissingScopes = ReadOnly(info.MissingScopes);
            MissingEndpoint = info.MissingEndpoint;
            if (info.RetryAfterSecs >= 0)
                RetryAfter = TimeSpan.FromSeconds(info.RetryAfterSecs);
            owner = info.Owner;
            error = info.Pointer;
        }

        /// <summary>Which kind of failure this is (one exception class per kind).</summary>
        public ClarifaiErrorKind Kind
        {
            get { return ClarifaiErrorKinds.Of(Result); }
        }

        /// <summary>The library's result code.</summary>
        public ClarifaiResult Result { get; private set; }

        /// <summary>The result's C name, e.g. "CLARIFAI_RESULT_KEY_NOT_FOUND".</summary>
        public string ResultName { get; private set; }

        /// <summary>The Clarifai status code, e.g. 11009; 0 when the server sent none.</summary>
        public uint StatusCode { get; private set; }

        /// <summary>The HTTP status, or 0 when there was no answer.</summary>
        public int HttpStatus { get; private set; }

        /// <summary>The status description, e.g. "API key not found", or "".</summary>
        public string Description { get; private set; }

        /// <summary>The status details, or "".</summary>
        public string Details { get; private set; }

        /// <summary>The request id the server gave, or "".</summary>
        public string ReqId { get; private set; }

        /// <summary>Scopes the credential lacks, docs spelling (e.g. "Inputs:Add"); empty when none are named.</summary>
        public ReadOnlyCollection<string> MissingScopes { get; private set; }

        /// <summary>The endpoint grant the key lacks (e.g. "/clarifai.api.V2/PostInputs"), or null.</summary>
        public string MissingEndpoint { get; private set; }

        /// <summary>How long the server asked to wait (Retry-After), or null when it did not say.</summary>
        public TimeSpan? RetryAfter { get; private set; }

        /// <summary>A header of the failed response (name case-insensitive), or null.</summary>
        public string GetHeader(string name)
        {
            byte[] n = Utf8.Arg(name, "name");
            if (owner == null)
                return null;
            bool added = false;
            try
            {
                owner.DangerousAddRef(ref added);
                return Utf8.PtrToString(Errors.Native.clarifai_error_header(error, n));
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
            finally
            {
                if (added)
                    owner.DangerousRelease();
            }
        }

        internal static ReadOnlyCollection<string> ReadOnly(IList<string> list)
        {
            return list == null || list.Count == 0 ? None : new ReadOnlyCollection<string>(list);
        }
    }

    /// <summary>
    /// An argument the library refused before any request: a missing one, bad UTF-8, an empty or
    /// malformed key or id, parameters that are not a JSON object, a bad option value.
    /// (Null arguments and embedded NUL characters are .NET's own ArgumentNullException and
    /// ArgumentException, thrown before the library is called.)
    /// </summary>
    public class ClarifaiArgumentException : ClarifaiException
    {
        internal ClarifaiArgumentException(ErrorInfo info) : base(info) { }
    }

    /// <summary>No RPC of that name in the endpoint catalogue.</summary>
    public class UnknownEndpointException : ClarifaiException
    {
        internal UnknownEndpointException(ErrorInfo info) : base(info) { }
    }

    /// <summary>
    /// The client cannot be configured as asked: a missing environment variable (the message names
    /// it), no credential of its own, or plain http:// to a host that is not loopback.
    /// </summary>
    public class ClarifaiConfigurationException : ClarifaiException
    {
        internal ClarifaiConfigurationException(ErrorInfo info) : base(info) { }
    }

    /// <summary>The API answered with a failure status; the base of every API kind, and the class of those no finer kind covers.</summary>
    public class ClarifaiApiException : ClarifaiException
    {
        internal ClarifaiApiException(ErrorInfo info) : base(info) { }
    }

    /// <summary>11007: the credential lacks scopes and/or an endpoint grant; also a preflight error.</summary>
    public class MissingScopesException : ClarifaiApiException
    {
        internal MissingScopesException(ErrorInfo info) : base(info) { }
    }

    /// <summary>11009: the API does not know this key. (Clarifai.API's, not System.Collections.Generic's.)</summary>
    public class KeyNotFoundException : ClarifaiApiException
    {
        internal KeyNotFoundException(ErrorInfo info) : base(info) { }
    }

    /// <summary>11008: the key does not belong to that app, or a PAT was used without an app.</summary>
    public class InvalidKeyException : ClarifaiApiException
    {
        internal InvalidKeyException(ErrorInfo info) : base(info) { }
    }

    /// <summary>11102: no or a malformed Authorization header, or a malformed request.</summary>
    public class InvalidRequestException : ClarifaiApiException
    {
        internal InvalidRequestException(ErrorInfo info) : base(info) { }
    }

    /// <summary>11200: the endpoint needs a Personal Access Token (or refuses this credential kind).</summary>
    public class PatRequiredException : ClarifaiApiException
    {
        internal PatRequiredException(ErrorInfo info) : base(info) { }
    }

    /// <summary>11005: too many requests; <see cref="ClarifaiException.RetryAfter"/> says how long to wait.</summary>
    public class ThrottledException : ClarifaiApiException
    {
        internal ThrottledException(ErrorInfo info) : base(info) { }
    }

    /// <summary>11101, or another "does not exist" status with HTTP 404: unknown resource, app or route.</summary>
    public class NotFoundException : ClarifaiApiException
    {
        internal NotFoundException(ErrorInfo info) : base(info) { }
    }

    /// <summary>11103: the path exists, not with that method.</summary>
    public class MethodNotAllowedException : ClarifaiApiException
    {
        internal MethodNotAllowedException(ErrorInfo info) : base(info) { }
    }

    /// <summary>
    /// No usable answer: connect (or a proxy refused), DNS, timeout, TLS, redirect refused, broken
    /// connection, a body over the size limit or one that is not a Clarifai response.
    /// <see cref="ClarifaiException.Result"/> says which.
    /// </summary>
    public class TransportException : ClarifaiException
    {
        internal TransportException(ErrorInfo info) : base(info) { }
    }

    /// <summary>Key rotation created the new key but could not delete the old one: both work.</summary>
    public class RotationIncompleteException : ClarifaiException
    {
        internal RotationIncompleteException(ErrorInfo info) : base(info) { }
    }

    /// <summary>The operation cannot run now (for example the runtime already runs with another thread count).</summary>
    public class ClarifaiStateException : ClarifaiException
    {
        internal ClarifaiStateException(ErrorInfo info) : base(info) { }
    }
}
