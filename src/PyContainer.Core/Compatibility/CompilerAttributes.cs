// .NET Framework only (see PyContainer.Core.csproj): the types newer C# features need, which .NET 5+ ships.
// Internal, so each assembly that compiles them keeps its own copy and nothing leaks to callers.
#pragma warning disable SA1402, SA1649, CA1019, CA1813

namespace System.Runtime.CompilerServices
{
    /// <summary>Lets records and <c>init</c> accessors compile.</summary>
    internal static class IsExternalInit
    {
    }

    /// <summary>Lets <c>required</c> members compile.</summary>
    [AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    internal sealed class RequiredMemberAttribute : Attribute
    {
    }

    /// <summary>Lets <c>required</c> members compile (the compiler marks their constructors with it).</summary>
    [AttributeUsage(AttributeTargets.All, AllowMultiple = true, Inherited = false)]
    internal sealed class CompilerFeatureRequiredAttribute(string featureName) : Attribute
    {
        public const string RefStructs = nameof(RefStructs);

        public const string RequiredMembers = nameof(RequiredMembers);

        public string FeatureName { get; } = featureName;

        public bool IsOptional { get; init; }
    }

    /// <summary>Lets <c>ArgumentNullException.ThrowIfNull(x)</c> name the argument, as on .NET.</summary>
    [AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
    internal sealed class CallerArgumentExpressionAttribute(string parameterName) : Attribute
    {
        public string ParameterName { get; } = parameterName;
    }
}

namespace System.Diagnostics.CodeAnalysis
{
    /// <summary>Marks a constructor that sets every <c>required</c> member.</summary>
    [AttributeUsage(AttributeTargets.Constructor, AllowMultiple = false, Inherited = false)]
    internal sealed class SetsRequiredMembersAttribute : Attribute
    {
    }
}
