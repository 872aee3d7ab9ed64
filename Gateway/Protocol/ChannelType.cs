namespace SoketiOrleans.Gateway.Protocol;

public enum ChannelType
{
    Public,
    Private,
    PrivateEncrypted,
    Presence,
}
