using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Runtime.InteropServices;

namespace Clarifai.API
{
    /// <summary>
    /// A failed Clarifai call. Carries the Clarifai status the API answered with (StatusCode 0
    /// when it gave none, HttpStatus 0 when there was no answer) and never a credential.
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
            StatusCode = info.StatusCode;
            HttpStatus = info.HttpStatus;
            Description = info.Description;
            Details = info.Details;
            ReqId = info.ReqId;
            owner = info.Owner;
            error = info.Pointer;
        }

        /// <summary>The library's result code (which kind of failure this is).</summary>
        public ClarifaiResult Result { get; private set; }

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
                return Utf8.PtrToString(Native.clarifai_error_header(error, n));
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

    /// <summary>11007: the credential lacks scopes and/or an endpoint grant; also a preflight denial.</summary>
    public class MissingScopesException : ClarifaiException
    {
        internal MissingScopesException(ErrorInfo info) : base(info)
        {
            MissingScopes = ReadOnly(info.MissingScopes);
            MissingEndpoints = ReadOnly(info.MissingEndpoint == null ? null : new[] { info.MissingEndpoint });
        }

        /// <summary>Scopes the credential lacks, docs spelling (e.g. "Inputs:Add").</summary>
        public ReadOnlyCollection<string> MissingScopes { get; private set; }

        /// <summary>Endpoint grants the key lacks (e.g. "/clarifai.api.V2/PostInputs").</summary>
        public ReadOnlyCollection<string> MissingEndpoints { get; private set; }
    }

    /// <summary>11009: the API does not know this key.</summary>
    public class KeyNotFoundException : ClarifaiException
    {
        internal KeyNotFoundException(ErrorInfo info) : base(info) { }
    }

    /// <summary>11008: the key does not belong to that app, or a PAT was used without an app.</summary>
    public class InvalidKeyException : ClarifaiException
    {
        internal InvalidKeyException(ErrorInfo info) : base(info) { }
    }

    /// <summary>11102: no or a malformed Authorization header, or a malformed request.</summary>
    public class InvalidRequestException : ClarifaiException
    {
        internal InvalidRequestException(ErrorInfo info) : base(info) { }
    }

    /// <summary>11200: the endpoint needs a Personal Access Token (or refuses this credential kind).</summary>
    public class PatRequiredException : ClarifaiException
    {
        internal PatRequiredException(ErrorInfo info) : base(info) { }
    }

    /// <summary>11005: too many requests.</summary>
    public class ThrottledException : ClarifaiException
    {
        internal ThrottledException(ErrorInfo info) : base(info)
        {
            if (info.RetryAfterSecs >= 0)
                RetryAfter = TimeSpan.FromSeconds(info.RetryAfterSecs);
        }

        /// <summary>How long the server asked to wait (Retry-After), or null when it did not say.</summary>
        public TimeSpan? RetryAfter { get; private set; }
    }

    /// <summary>
    /// No usable answer: connect, DNS, timeout, TLS, redirect refused, broken connection, a body
    /// over the size limit or one that is not a Clarifai response. <see cref="ClarifaiException.Result"/>
    /// says which.
    /// </summary>
    public class TransportException : ClarifaiException
    {
        internal TransportException(ErrorInfo info) : base(info) { }
    }

    /// <summary>
    /// The client cannot be configured as asked: a missing environment variable (the message names
    /// it) or plain http:// to a host that is not loopback.
    /// </summary>
    public class ClarifaiConfigurationException : ClarifaiException
    {
        internal ClarifaiConfigurationException(ErrorInfo info) : base(info) { }
    }

    /// <summary>Key rotation created the new key but could not delete the old one: both work.</summary>
    public class RotationIncompleteException : ClarifaiException
    {
        internal RotationIncompleteException(ErrorInfo info) : base(info) { }
    }
}
