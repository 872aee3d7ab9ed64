namespace SoketiOrleans.Protocol;

public enum ChannelType
{
    Public,
    Private,
    PrivateEncrypted,
    Presence,
}
