META
key;value
description;Small cumulative example
country;Norway
unit;Lillevik
instance;2025
num_projects;4
num_votes;5
budget;3000
vote_type;cumulative
max_sum_points;5
PROJECTS
project_id;cost;name
A;1200,5;Skatepark
B;900;Reading corner
C;1500;Footpath lights
D;0;Volunteer day
VOTES
voter_id;vote;points
1;A,B;3,2
2;C;5
3;A,C,D;1,3,1
4;B;5
5;None;None
