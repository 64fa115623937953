META
key;value
description;Small approval example (Lillevik)
country;Norway
unit;Lillevik
instance;2025
num_projects;4
num_votes;6
budget;100
vote_type;approval
rule;equal-shares
PROJECTS
project_id;cost;name;category;target
1;60;Playground;children,sport;families
2;40;Bench by the lake;nature;None
10;30;Library hours;culture;None
3;50;"Bike racks; covered";transport;None
VOTES
voter_id;age;sex;vote
v1;34;f;1,2
v2;51;m;1
v3;18;f;2,10
v4;77;m;10,3
v5;29;f;3
v6;40;m;1,3
